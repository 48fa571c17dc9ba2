/**
 * @module
 * The room's clean-up round: when it runs, what it does, what its stats tick says. While anyone is
 * in the room (in any of its objects) it ticks every stats interval; once the room is empty it is
 * set once, for the next retention or clean-up deadline, so an idle room costs nothing and an
 * abandoned one is eventually deleted.
 */
import type { Config } from "../config";
import { log } from "../log";
import type { History } from "../messages/history";
import type { StatsFrame } from "../wire/protocol";
import type { Departure, RoomParts } from "./parts";

const STATS_WINDOW_MS = 60_000;

/** The last moment the room was used: its newest message, when its last member left, or its latest moderation action. */
function idleSince(history: History): number {
  return Math.max(history.newestTs() ?? 0, history.getMeta("emptied_at") ?? 0, history.getMeta("moderated_at") ?? 0);
}

function nextAlarm(history: History, config: Config, occupied: boolean, now: number): number {
  if (occupied) return now + config.statsIntervalMs;
  const oldestTs = history.after(0, 1)[0]?.ts;
  const expiry = oldestTs === undefined ? Infinity : oldestTs + config.historyMaxAgeMs;
  return Math.max(now + 1000, Math.min(idleSince(history) + config.emptyRoomTtlMs, expiry));
}

/** An empty room unused for EMPTY_ROOM_TTL_SECONDS: its storage is deleted. */
function abandoned(history: History, config: Config, now: number): boolean {
  return now - idleSince(history) >= config.emptyRoomTtlMs;
}

/** The periodic push to a room with members: who is here and how busy the room is. */
function statsFrame(history: History, online: number, now: number): StatsFrame {
  return { type: "stats", online, messagesLastMinute: history.countSince(now - STATS_WINDOW_MS), latestId: history.latestId(), ts: now };
}

/** Plans the clean-up round; the alarm rings then, or sooner for the webhook outbox. */
export function planRound({ history, config, presence, files, members, alarms }: RoomParts, now: number): void {
  const exp = members.earliestExpiry();
  // The files' sweep and the earliest token expiry (an expired socket closes within a second or
  // so) ride the clean-up round.
  const roundAt = Math.min(
    nextAlarm(history, config, presence.roster.size > 0, now),
    files.dueAt(now) ?? Number.POSITIVE_INFINITY,
    exp === undefined ? Number.POSITIVE_INFINITY : Math.max(now, exp * 1000),
  );
  alarms.plan(roundAt, now);
}

/**
 * The stats and clean-up round: retention, the files' sweep, silent, expired and stray sockets;
 * an abandoned room is cleared.
 */
export async function cleanUp(parts: RoomParts, ctx: DurableObjectState, depart: (seat: Departure | undefined) => void, now: number): Promise<void> {
  const { history, config, files, members, fanout, moderation, delivery, presence } = parts;
  history.deleteOlderThan(now - config.historyMaxAgeMs);
  await files.sweep(now);
  for (const seat of members.dropSilent(ctx, config.idleTimeoutMs, now)) depart(seat);
  for (const seat of members.dropExpired(now)) depart(seat);
  for (const id of await fanout.strays()) depart(fanout.remove(id));
  for (const entry of moderation.stragglers(fanout.seats(), now)) delivery.enqueue(entry);
  if (presence.roster.size > 0) {
    parts.broadcast(statsFrame(history, presence.roster.size, now));
  } else if (abandoned(history, config, now)) {
    return clearRoom(parts, ctx.storage);
  }
  planRound(parts, now);
}

/** Wipes an abandoned room; the webhook outbox and its dead letters are kept. */
export async function clearRoom({ history, files, search, fanout, webhooks, moderation, alarms }: RoomParts, storage: DurableObjectStorage): Promise<void> {
  // Undelivered events and dead letters are the app's, not the room's: they stay.
  const outbox = webhooks.copy();
  await storage.deleteAlarm();
  await files.deleteAll();
  await storage.deleteAll();
  alarms.cleared();
  history.migrate();
  files.migrate();
  search.migrate();
  fanout.migrate();
  webhooks.restore(outbox);
  moderation.forget();
  const due = webhooks.due();
  if (due !== undefined) alarms.wake(due);
  log("room_cleared", {});
}
