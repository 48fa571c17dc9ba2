/**
 * @module
 * Join and leave announcements. They travel with every other frame through delivery.ts; at each
 * flush a storm of them (BATCH_MIN or more of one kind in a row, as when a link is shared to a
 * crowd or a network blip reconnects everyone) becomes one frame listing them all, so n arrivals
 * cost n frames per member in total instead of n².
 */
import type { Outgoing } from "./delivery";
import type { JoinFrame, LeaveFrame, Member } from "./protocol";

/** Fewer than this in a row go out one frame each, exactly as clients that predate batches expect. */
const BATCH_MIN = 4;

type Kind = "join" | "leave";

/** An announcement; a join skips the connection that joined (its welcome said it all). */
export function announcement(type: Kind, member: Member): Outgoing {
  const entry: Outgoing = { data: JSON.stringify({ type, member } satisfies JoinFrame | LeaveFrame), presence: { type, member } };
  if (type === "join") entry.except = member.id;
  return entry;
}

/** Replaces each run of BATCH_MIN or more announcements of one kind with one frame for everyone. */
export function mergePresence(entries: Outgoing[]): Outgoing[] {
  if (entries.length < BATCH_MIN) return entries;
  const merged: Outgoing[] = [];
  for (let start = 0; start < entries.length; ) {
    const kind = entries[start]!.presence?.type;
    let end = start + 1;
    while (kind && end < entries.length && entries[end]!.presence?.type === kind) end++;
    if (kind && end - start >= BATCH_MIN) merged.push(storm(kind, entries.slice(start, end)));
    else merged.push(...entries.slice(start, end));
    start = end;
  }
  return merged;
}

function storm(type: Kind, run: Outgoing[]): Outgoing {
  const members = run.map((entry) => entry.presence!.member);
  return { data: JSON.stringify({ type, member: members[0]!, members } satisfies JoinFrame | LeaveFrame) };
}
