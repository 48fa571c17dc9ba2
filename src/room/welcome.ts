/**
 * @module
 * What a newcomer receives first: the welcome, then (on a resume) every message, change, moderation
 * action and room state after `since` that did not fit in it, in the room's order. Built by the
 * room's sequencer for every newcomer, whichever object will hold its socket, and handed over
 * already encoded. A fan-out object that missed some of the stream gets the same events (`replay`).
 */
import type { Config } from "../config";
import type { Outgoing } from "../delivery/outgoing";
import type { History } from "../messages/history";
import { dismissalOf } from "../moderation/moderation";
import type { RoomState } from "../wire/moderation-frames";
import { eventSeq, type Member, type MessageFrame, type RoomEvent, type WelcomeFrame } from "../wire/protocol";
import type { Roster } from "./presence";

/** The encoded frames a newcomer gets before anything live, in order, and the place they reach. */
export interface Welcome {
  frames: string[];
  latestId: number;
}

/**
 * Built once the newcomer is in the roster. `upTo` stops the welcome at a fan-out object's newest
 * delivered place: the rest reaches the newcomer through that object's stream, like everyone else
 * there (shard.ts).
 */
export function welcome(
  history: History,
  roster: Roster,
  config: Config,
  room: RoomState,
  you: Member,
  since: number | undefined,
  upTo = Infinity,
  exp?: number,
): Welcome {
  const page = config.welcomeHistory;
  const latestId = Math.min(history.latestId(), upTo);
  const resuming = since !== undefined && since <= latestId;
  const missed = resuming ? eventsBetween(history, since, latestId, page).filter((event) => !removes(event, you.uid)) : [];
  const recent = resuming ? leadingMessages(missed.slice(0, page)) : history.before(latestId + 1, page);
  const rest = {
    you,
    online: roster.size,
    history: recent,
    latestId,
    gap: since !== undefined && (!resuming || since < (history.oldestId() ?? latestId + 1) - 1),
    limits: {
      maxMessageChars: config.maxMessageChars,
      maxFrameBytes: config.maxFrameBytes,
      ratePerSecond: config.ratePerSecond,
      rateBurst: config.rateBurst,
    },
    room,
    // With an app's token: when to refresh it (tokens/session.ts).
    ...(exp === undefined ? {} : { exp }),
  } satisfies Omit<WelcomeFrame, "type" | "members">;
  // The roster comes encoded (presence.ts keeps it).
  const frames = [`{"type":"welcome","members":${roster.welcomeList(you)},${JSON.stringify(rest).slice(1)}`];
  for (const event of missed.slice(recent.length)) frames.push(JSON.stringify(event));
  return { frames, latestId };
}

/** Every retained event after `since` up to `upTo`, page by page, in the room's order. */
export function eventsBetween(history: History, since: number, upTo: number, page: number): RoomEvent[] {
  const events: RoomEvent[] = [];
  for (let after = since; after < upTo; ) {
    const batch = history.eventsAfter(after, page).filter((event) => eventSeq(event) <= upTo);
    events.push(...batch);
    if (batch.length < page) break;
    after = eventSeq(batch.at(-1)!);
  }
  return events;
}

/** A kick or ban of the person now connecting is over: replaying it would remove them again. */
function removes(event: RoomEvent, uid: string): boolean {
  return event.type === "moderation" && event.uid === uid && dismissalOf(event) !== undefined;
}

/** Events a fan-out object missed, as the flush would have carried them: placed, and closing whom a kick or ban removed. */
export function replay(events: RoomEvent[]): Outgoing[] {
  return events.map((event) => {
    const entry: Outgoing = { data: JSON.stringify(event), id: eventSeq(event) };
    const dismiss = event.type === "moderation" ? dismissalOf(event) : undefined;
    if (dismiss) entry.dismiss = dismiss;
    return entry;
  });
}

/** A welcome's history holds only messages: those before a resume's first update. */
function leadingMessages(events: RoomEvent[]): MessageFrame[] {
  const messages: MessageFrame[] = [];
  for (const event of events) {
    if (event.type !== "message") break;
    messages.push(event);
  }
  return messages;
}
