/**
 * @module
 * What a newcomer receives first: the welcome, then (on a resume) every retained message after
 * `since` that did not fit in it, in id order. Built by the room's sequencer for every newcomer,
 * whichever object will hold its socket, and handed over already encoded.
 */
import type { Config } from "./config";
import type { History } from "./history";
import type { Roster } from "./presence";
import type { Member, MessageFrame, WelcomeFrame } from "./protocol";

/** The encoded frames a newcomer gets before anything live, in order, and the id they reach. */
export interface Welcome {
  frames: string[];
  latestId: number;
}

/**
 * `upTo` stops the welcome at a fan-out object's newest delivered id: the rest reaches the
 * newcomer through that object's stream, like everyone else there (shard.ts).
 */
export function welcome(history: History, roster: Roster, config: Config, you: Member, since: number | undefined, upTo = Infinity): Welcome {
  const page = config.welcomeHistory;
  const latestId = Math.min(history.latestId(), upTo);
  const resuming = since !== undefined && since <= latestId;
  const recent = (resuming ? history.after(since, page) : history.before(latestId + 1, page)).filter((m) => m.id <= latestId);
  const rest = {
    you,
    // Built before the newcomer joins the roster.
    online: roster.size + 1,
    history: recent,
    latestId,
    gap: since !== undefined && (!resuming || since < (history.oldestId() ?? latestId + 1) - 1),
    limits: {
      maxMessageChars: config.maxMessageChars,
      maxFrameBytes: config.maxFrameBytes,
      ratePerSecond: config.ratePerSecond,
      rateBurst: config.rateBurst,
    },
  } satisfies Omit<WelcomeFrame, "type" | "members">;
  // The roster comes encoded (presence.ts keeps it); only the newcomer is encoded here.
  const frames = [`{"type":"welcome","members":${roster.welcomeList(you)},${JSON.stringify(rest).slice(1)}`];
  if (resuming) frames.push(...missedAfter(history, recent, page, latestId).map((message) => JSON.stringify(message)));
  return { frames, latestId };
}

/** Whatever follows a full first page, page by page, up to `latestId`. */
function missedAfter(history: History, first: MessageFrame[], page: number, latestId: number): MessageFrame[] {
  const missed: MessageFrame[] = [];
  for (let batch = first; batch.length === page && batch.at(-1)!.id < latestId; ) {
    batch = history.after(batch.at(-1)!.id, page).filter((m) => m.id <= latestId);
    missed.push(...batch);
  }
  return missed;
}
