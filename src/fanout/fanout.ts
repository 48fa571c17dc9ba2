/**
 * @module
 * The sequencer's side of a big room. Once the room's own object holds SHARD_MEMBERS sockets,
 * newcomers' sockets go to fan-out objects of the same room (shard.ts), each holding at most
 * SHARD_MEMBERS. The sequencer decides where each newcomer goes, remembers who is where (in its
 * SQLite, so an eviction forgets nothing), and sends every flush to each fan-out object that
 * holds members: one call per object per flush, never per message or per member, and never more
 * than one call in flight per object, so batches arrive in order.
 */
import type { Config } from "../config";
import type { ShardBatch } from "../delivery/outgoing";
import { log } from "../log";
import type { Seat } from "../sockets/members";
import { addMissingColumns, type Column } from "../sql";
import type { GrantedRole } from "../tokens/claims";
import type { Member } from "../wire/protocol";

/** What the sequencer needs of a fan-out object. */
export interface ShardStub {
  deliver(batch: ShardBatch): Promise<void>;
  /** The member ids whose sockets it still holds (after dropping silent ones). */
  census(): Promise<string[]>;
}

export type Placement = { where: "here" } | { where: "shard"; shard: number; ticket: string } | { where: "full" };

/** What a fan-out object asks the sequencer for a newcomer it holds (see shard.ts). */
export interface Admission {
  shard: number;
  ticket: string;
  member: Member;
  since?: number;
  /** The newest id the fan-out object has delivered: the welcome stops there, the stream goes on. */
  upTo?: number;
  /** The newcomer's hashed network, from the worker (identity.ts, addressOf). */
  address?: string;
  /** With an app's token: when it expires (seconds since epoch), for the welcome. */
  exp?: number;
  /** With an app's token: the role it grants here. */
  role?: GrantedRole;
}

export interface RemoteMember extends Seat {
  shard: number;
  /** The connection's hashed network (identity.ts, addressOf). */
  address?: string;
  /** The role its app token grants here (tokens/roles.ts). */
  role?: GrantedRole;
}

/** A seat kept for a newcomer sent to a fan-out object, until it arrives or the ticket expires. */
const TICKET_MS = 30_000;

const SCHEMA = `CREATE TABLE IF NOT EXISTS shard_members (id TEXT PRIMARY KEY, shard INTEGER NOT NULL, member TEXT NOT NULL, person TEXT NOT NULL)`;
/** Added after rooms already stored fan-out members; theirs hold NULL. */
const ADDED_COLUMNS: Column[] = [
  ["address", "TEXT"],
  ["role", "TEXT"],
];

export class FanOut {
  private readonly remote = new Map<string, RemoteMember>();
  private readonly counts = new Map<number, number>();
  private readonly tickets = new Map<string, { shard: number; expires: number }>();
  private readonly inFlight = new Set<number>();
  private readonly backlog = new Map<number, ShardBatch>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly config: Config,
    private readonly stub: (index: number) => ShardStub,
  ) {
    this.migrate();
    const rows = this.sql.exec<{ shard: number; member: string; person: string; address: string | null; role: GrantedRole | null }>(
      "SELECT shard, member, person, address, role FROM shard_members",
    );
    for (const row of rows) {
      const seat: RemoteMember = { member: JSON.parse(row.member) as Member, person: JSON.parse(row.person) as Member, shard: row.shard };
      if (row.address !== null) seat.address = row.address;
      if (row.role !== null) seat.role = row.role;
      this.track(seat);
    }
  }

  /** Creates the table or brings an old one up to date; run again after the room's storage is wiped. */
  migrate(): void {
    this.sql.exec(SCHEMA);
    addMissingColumns(this.sql, "shard_members", ADDED_COLUMNS);
  }

  /** Members whose sockets live in fan-out objects. */
  seats(): RemoteMember[] {
    return [...this.remote.values()];
  }

  /** Sockets held by fan-out objects. */
  get size(): number {
    return this.remote.size;
  }

  /** Sockets held by the fullest fan-out object. */
  get largest(): number {
    return Math.max(0, ...this.counts.values());
  }

  /** Fan-out objects holding members now. */
  get shards(): number {
    return [...this.counts.values()].filter((count) => count > 0).length;
  }

  /** Seats promised to newcomers on their way to a fan-out object. */
  reserved(now = Date.now()): number {
    this.expireTickets(now);
    return this.tickets.size;
  }

  /**
   * Where a newcomer's socket goes: the room's own object while it holds fewer than
   * SHARD_MEMBERS (small rooms never take the extra hop), then a fan-out object with a seat kept
   * for it, or nowhere once the room is full.
   */
  seat(ownSockets: number, now = Date.now()): Placement {
    if (ownSockets + this.size + this.reserved(now) >= this.config.maxMembers) return { where: "full" };
    if (ownSockets < this.config.shardMembers) return { where: "here" };
    const placed = this.place(now);
    return placed ? { where: "shard", ...placed } : { where: "full" };
  }

  /** Picks the lowest-numbered fan-out object with room for one more, and keeps the seat. */
  private place(now: number): { shard: number; ticket: string } | undefined {
    this.expireTickets(now);
    const pending = new Map<number, number>();
    for (const { shard } of this.tickets.values()) pending.set(shard, (pending.get(shard) ?? 0) + 1);
    for (let shard = 1; shard <= this.config.maxShards; shard++) {
      if ((this.counts.get(shard) ?? 0) + (pending.get(shard) ?? 0) >= this.config.shardMembers) continue;
      const ticket = crypto.randomUUID();
      this.tickets.set(ticket, { shard, expires: now + TICKET_MS });
      return { shard, ticket };
    }
    return undefined;
  }

  /** Takes the seat a ticket kept for a newcomer; false when the ticket is not good (or expired). */
  redeem(ticket: string, shard: number, now = Date.now()): boolean {
    this.expireTickets(now);
    if (this.tickets.get(ticket)?.shard !== shard) return false;
    this.tickets.delete(ticket);
    return true;
  }

  /** Registers a newcomer whose socket a fan-out object holds. */
  admit(seat: RemoteMember): void {
    const { member, person, shard, address, role } = seat;
    this.sql.exec(
      "INSERT OR REPLACE INTO shard_members (id, shard, member, person, address, role) VALUES (?, ?, ?, ?, ?, ?)",
      member.id,
      shard,
      JSON.stringify(member),
      JSON.stringify(person),
      address ?? null,
      role ?? null,
    );
    this.track(seat);
  }

  /** A member's refreshed token grants another role (or none); false when nothing changed. */
  regrant(id: string, role: GrantedRole | undefined): boolean {
    const seat = this.remote.get(id);
    if (!seat || seat.role === role) return false;
    if (role === undefined) delete seat.role;
    else seat.role = role;
    this.sql.exec("UPDATE shard_members SET role = ? WHERE id = ?", role ?? null, id);
    return true;
  }

  /** Forgets a member that left a fan-out object; returns who it was, only the first time. */
  remove(id: string): Seat | undefined {
    const entry = this.remote.get(id);
    if (!entry) return undefined;
    this.sql.exec("DELETE FROM shard_members WHERE id = ?", id);
    this.remote.delete(id);
    this.counts.set(entry.shard, (this.counts.get(entry.shard) ?? 1) - 1);
    return entry;
  }

  /** Sends a flush to every fan-out object with members. */
  forward(batch: ShardBatch): void {
    for (const [shard, count] of this.counts) {
      if (count > 0) this.send(shard, batch);
    }
  }

  /**
   * Members registered on a fan-out object that no longer holds their socket (it crashed, or
   * dropped them as silent). Asked on each stats tick; the caller announces their leave.
   */
  async strays(): Promise<string[]> {
    const shards = [...this.counts].filter(([, count]) => count > 0).map(([shard]) => shard);
    const held = await Promise.all(
      shards.map((shard) =>
        this.stub(shard)
          .census()
          .then(
            (ids) => new Set(ids),
            () => undefined,
          ),
      ),
    );
    const alive = new Map(shards.map((shard, i) => [shard, held[i]]));
    return [...this.remote.values()].filter(({ member, shard }) => alive.get(shard)?.has(member.id) === false).map(({ member }) => member.id);
  }

  private track(entry: RemoteMember): void {
    this.remote.set(entry.member.id, entry);
    this.counts.set(entry.shard, (this.counts.get(entry.shard) ?? 0) + 1);
  }

  private expireTickets(now: number): void {
    for (const [ticket, { expires }] of this.tickets) if (expires <= now) this.tickets.delete(ticket);
  }

  /** One call in flight per object: what flushes meanwhile waits, merged, for the next call. */
  private send(shard: number, batch: ShardBatch): void {
    if (this.inFlight.has(shard)) {
      const waiting = this.backlog.get(shard);
      this.backlog.set(shard, waiting ? { afterId: waiting.afterId, entries: [...waiting.entries, ...batch.entries] } : batch);
      return;
    }
    this.inFlight.add(shard);
    this.stub(shard)
      .deliver(batch)
      // A failed call loses nothing for good: the object sees the gap in the next batch's afterId.
      .catch((error: unknown) => log("error", { where: "fanout", shard, message: String(error) }))
      .finally(() => {
        this.inFlight.delete(shard);
        const next = this.backlog.get(shard);
        this.backlog.delete(shard);
        if (next) this.send(shard, next);
      });
  }
}
