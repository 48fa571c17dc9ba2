/**
 * @module
 * When a room's alarm rings, and what its stats tick says. While anyone is in the room (in any of
 * its objects) it ticks every stats interval; once the room is empty it is set once, for the next retention or clean-up
 * deadline, so an idle room costs nothing and an abandoned one is eventually deleted.
 */
import type { Config } from "../config";
import type { History } from "../messages/history";
import type { StatsFrame } from "../wire/protocol";

const STATS_WINDOW_MS = 60_000;

/** The last moment the room was used: its newest message, when its last member left, or its latest moderation action. */
function idleSince(history: History): number {
  return Math.max(history.newestTs() ?? 0, history.getMeta("emptied_at") ?? 0, history.getMeta("moderated_at") ?? 0);
}

export function nextAlarm(history: History, config: Config, occupied: boolean, now: number): number {
  if (occupied) return now + config.statsIntervalMs;
  const oldestTs = history.after(0, 1)[0]?.ts;
  const expiry = oldestTs === undefined ? Infinity : oldestTs + config.historyMaxAgeMs;
  return Math.max(now + 1000, Math.min(idleSince(history) + config.emptyRoomTtlMs, expiry));
}

/** An empty room unused for EMPTY_ROOM_TTL_SECONDS: its storage is deleted. */
export function abandoned(history: History, config: Config, now: number): boolean {
  return now - idleSince(history) >= config.emptyRoomTtlMs;
}

/** The periodic push to a room with members: who is here and how busy the room is. */
export function statsFrame(history: History, online: number, now: number): StatsFrame {
  return { type: "stats", online, messagesLastMinute: history.countSince(now - STATS_WINDOW_MS), latestId: history.latestId(), ts: now };
}
