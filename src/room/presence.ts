/**
 * @module
 * Who is in the room, and how others hear of arrivals and departures, whichever object holds the
 * sockets. Small rooms announce each join and leave; a storm of them in one flush becomes one frame
 * (mergePresence). Past the roster limit the room is a crowd: the welcome lists a sample and
 * presence goes out as counts, at most once per CROWD_SUMMARY_MS.
 */
import type { Outgoing } from "../delivery/outgoing";
import type { Seat } from "../sockets/members";
import type { JoinFrame, LeaveFrame, Member, PresenceFrame } from "../wire/protocol";

/** Fewer than this in a row go out one frame each, exactly as clients that predate batches expect. */
const BATCH_MIN = 4;
const CROWD_SUMMARY_MS = 1000;

type Kind = "join" | "leave";

/**
 * Everyone in the room, one entry per person (uid) however many sockets they have open and in
 * whichever objects, by arrival, with the welcome's sample of them kept encoded.
 */
export class Roster {
  private readonly people = new Map<string, { shown: Member; json: string; sockets: number }>();
  /** The first `limit - 1` people as JSON array elements; rebuilt only when one of them leaves. */
  private sample: string | undefined;
  private readonly sampled = new Set<string>();

  constructor(
    private readonly limit: number,
    seats: Iterable<Seat> = [],
  ) {
    const ordered = [...seats].sort((a, b) => a.person.joinedAt - b.person.joinedAt || a.member.joinedAt - b.member.joinedAt);
    for (const { member, person } of ordered) this.arrive(member, person);
  }

  /** People in the room. */
  get size(): number {
    return this.people.size;
  }

  /** Whether the person has a socket in the room. */
  has(uid: string): boolean {
    return this.people.has(uid);
  }

  /** The name the room shows for a person here. */
  nameOf(uid: string): string | undefined {
    return this.people.get(uid)?.shown.name;
  }

  /**
   * A socket arrived. Returns the entry shown for its person (an earlier socket's member, or this
   * one's) and whether the person is new here, which is when others hear of them.
   */
  arrive(member: Member, person = member): { shown: Member; isNew: boolean } {
    const known = this.people.get(member.uid);
    if (known) {
      known.sockets += 1;
      return { shown: known.shown, isNew: false };
    }
    const json = JSON.stringify(person);
    if (this.sample !== undefined && this.sampled.size < this.limit - 1) {
      this.sample += (this.sample ? "," : "") + json;
      this.sampled.add(member.uid);
    }
    this.people.set(member.uid, { shown: person, json, sockets: 1 });
    return { shown: person, isNew: true };
  }

  /**
   * A socket left. Returns its person's entry when that was their last socket. After a wake the
   * roster was rebuilt without sockets that were already closing (`counted` false): such a socket
   * leaves its person here if another of their sockets is, and its seat still says who left.
   */
  depart({ member, person }: Seat, counted = true): Member | undefined {
    const known = this.people.get(member.uid);
    if (known && (!counted || --known.sockets > 0)) return undefined;
    if (this.sampled.delete(member.uid)) this.sample = undefined;
    this.people.delete(member.uid);
    return known?.shown ?? person;
  }

  private buildSample(): string {
    this.sampled.clear();
    const parts: string[] = [];
    for (const [uid, { json }] of this.people) {
      if (parts.length >= this.limit - 1) break;
      parts.push(json);
      this.sampled.add(uid);
    }
    return parts.join(",");
  }

  /** The welcome's `members`: the first `limit - 1` people, and the newcomer's person if not among them. */
  welcomeList(you: Member): string {
    this.sample ??= this.buildSample();
    const yours = this.sampled.has(you.uid) ? "" : (this.people.get(you.uid)?.json ?? JSON.stringify(you));
    return `[${[this.sample, yours].filter(Boolean).join(",")}]`;
  }
}

/**
 * Who is here (the roster), and what the members hear of arrivals and departures: each person's
 * first socket announces them, their last one their leave; a crowd's are counted, not listed.
 */
export class Presence {
  readonly roster: Roster;
  private joined = 0;
  private left = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limit: number,
    seats: Iterable<Seat>,
    private readonly enqueue: (entry: Outgoing) => void,
    /** Hears of every person arriving and leaving, a crowd's too (the webhooks' member events). */
    private readonly onPerson: (type: Kind, member: Member) => void = () => {},
  ) {
    this.roster = new Roster(limit, seats);
  }

  /** A socket arrived; returns the entry shown for its person. */
  arrive(member: Member): Member {
    const { shown, isNew } = this.roster.arrive(member);
    if (isNew) {
      this.announce("join", shown, member.id);
      this.onPerson("join", shown);
    }
    return shown;
  }

  /** A socket left (see Roster.depart for `counted`). */
  depart(seat: Seat, counted?: boolean): void {
    const gone = this.roster.depart(seat, counted);
    if (gone) {
      this.announce("leave", gone);
      this.onPerson("leave", gone);
    }
  }

  /** `connection` is the one that joined. */
  private announce(type: Kind, member: Member, connection?: string): void {
    if (this.roster.size <= this.limit) {
      this.enqueue(announcement(type, member, connection));
      return;
    }
    if (type === "join") this.joined += 1;
    else this.left += 1;
    // A one-shot timer, never an interval: an idle room still hibernates.
    this.timer ??= setTimeout(() => this.summarise(), CROWD_SUMMARY_MS);
  }

  private summarise(): void {
    this.timer = undefined;
    const frame: PresenceFrame = { type: "presence", online: this.roster.size, joined: this.joined, left: this.left };
    this.joined = this.left = 0;
    this.enqueue({ data: JSON.stringify(frame) });
  }
}

/** An announcement; a join skips the connection that joined (its welcome said it all). */
export function announcement(type: Kind, member: Member, connection = member.id): Outgoing {
  const entry: Outgoing = { data: JSON.stringify({ type, member } satisfies JoinFrame | LeaveFrame), presence: { type, member } };
  if (type === "join") entry.except = connection;
  return entry;
}

/**
 * Prepares a flush's announcements. A join skips its own connection unless an earlier
 * announcement in the flush named the same person (a last tab closing as a new one opens: the new
 * one hears the leave, so it must hear the join too). Each run of BATCH_MIN or more of one kind
 * becomes one frame for everyone.
 */
export function mergePresence(entries: Outgoing[]): Outgoing[] {
  if (!entries.some((entry) => entry.presence)) return entries;
  const named = new Set<string>();
  const merged: Outgoing[] = [];
  for (let start = 0; start < entries.length; ) {
    const kind = entries[start]!.presence?.type;
    let end = start + 1;
    while (kind && end < entries.length && entries[end]!.presence?.type === kind) end++;
    const run = entries.slice(start, end).map((entry) => (entry.presence && named.has(entry.presence.member.uid) ? { ...entry, except: undefined } : entry));
    for (const entry of run) if (entry.presence) named.add(entry.presence.member.uid);
    if (kind && run.length >= BATCH_MIN) merged.push(storm(kind, run));
    else merged.push(...run);
    start = end;
  }
  return merged;
}

function storm(type: Kind, run: Outgoing[]): Outgoing {
  const members = run.map((entry) => entry.presence!.member);
  return { data: JSON.stringify({ type, member: members[0]!, members } satisfies JoinFrame | LeaveFrame) };
}
