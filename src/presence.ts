/**
 * @module
 * Who is in the room, and how others hear of arrivals and departures, whichever object holds the
 * sockets. Small rooms announce each join and leave; a storm of them in one flush becomes one frame
 * (mergePresence). Past the roster limit the room is a crowd: the welcome lists a sample and
 * presence goes out as counts, at most once per CROWD_SUMMARY_MS.
 */
import type { Outgoing } from "./delivery";
import type { JoinFrame, LeaveFrame, Member, PresenceFrame } from "./protocol";

/** Fewer than this in a row go out one frame each, exactly as clients that predate batches expect. */
const BATCH_MIN = 4;
export const CROWD_SUMMARY_MS = 1000;

type Kind = "join" | "leave";

/** Everyone in the room by arrival, with the welcome's sample of them kept encoded. */
export class Roster {
  private readonly members = new Map<string, { member: Member; json: string }>();
  /** The first `limit - 1` members as JSON array elements; rebuilt only when one of them leaves. */
  private sample: string | undefined;
  private readonly sampled = new Set<string>();

  constructor(
    private readonly limit: number,
    members: Iterable<Member> = [],
  ) {
    for (const member of [...members].sort((a, b) => a.joinedAt - b.joinedAt)) this.add(member);
  }

  get size(): number {
    return this.members.size;
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  add(member: Member): void {
    const json = JSON.stringify(member);
    if (this.sample !== undefined && this.sampled.size < this.limit - 1) {
      this.sample += (this.sample ? "," : "") + json;
      this.sampled.add(member.id);
    }
    this.members.set(member.id, { member, json });
  }

  /** Removes a member and returns who it was. */
  remove(id: string): Member | undefined {
    const entry = this.members.get(id);
    if (!entry) return undefined;
    if (this.sampled.delete(id)) this.sample = undefined;
    this.members.delete(id);
    return entry.member;
  }

  private buildSample(): string {
    this.sampled.clear();
    const parts: string[] = [];
    for (const [id, { json }] of this.members) {
      if (parts.length >= this.limit - 1) break;
      parts.push(json);
      this.sampled.add(id);
    }
    return parts.join(",");
  }

  /** The welcome's `members` for a newcomer: the first `limit - 1` members, then the newcomer. */
  welcomeList(newcomer: Member): string {
    this.sample ??= this.buildSample();
    return `[${this.sample}${this.sample ? "," : ""}${JSON.stringify(newcomer)}]`;
  }
}

/** Turns joins and leaves into what the members hear; a crowd's are counted, not listed. */
export class Announcer {
  private joined = 0;
  private left = 0;
  private online = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly enqueue: (entry: Outgoing) => void,
    private readonly limit: number,
  ) {}

  /** `online` counts the room after the change. */
  announce(type: Kind, member: Member, online: number): void {
    if (online <= this.limit) {
      this.enqueue(announcement(type, member));
      return;
    }
    if (type === "join") this.joined += 1;
    else this.left += 1;
    this.online = online;
    // A one-shot timer, never an interval: an idle room still hibernates.
    this.timer ??= setTimeout(() => this.summarise(), CROWD_SUMMARY_MS);
  }

  private summarise(): void {
    this.timer = undefined;
    const frame: PresenceFrame = { type: "presence", online: this.online, joined: this.joined, left: this.left };
    this.joined = this.left = 0;
    this.enqueue({ data: JSON.stringify(frame) });
  }
}

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
