/**
 * @module
 * What moderation keeps in the room's SQLite (tables in schema.ts): roles by uid, the room's
 * settings, and bans with their expiry and, when asked for, the banned person's hashed networks
 * (identity.ts, addressOf). Reads and writes only; the rules are in moderation.ts.
 */
import type { BanEntry, RoomSettings, RoomState } from "../wire/moderation-frames";

export type Role = "owner" | "moderator";

export interface Ban {
  /** ms since epoch; null: until unbanned. */
  until: number | null;
  reason?: string;
  /** Hashed networks refused along with the uid. */
  addresses?: string[];
}

/** A new ban, with what the list of bans shows of it. */
export interface NewBan extends Ban {
  /** The person's display name as the room knew it. */
  name?: string;
  by: string;
}

type BanRow = {
  uid: string;
  name: string | null;
  reason: string | null;
  until: number | null;
  banned_at: number | null;
  banned_by: string | null;
  address: number;
};

const DEFAULT_SETTINGS: RoomSettings = { topic: "", slowSeconds: 0, locked: false };

export class ModerationStore {
  constructor(private readonly sql: SqlStorage) {}

  role(uid: string): Role | undefined {
    const [row] = this.sql.exec<{ role: Role }>("SELECT role FROM roles WHERE uid = ?", uid).toArray();
    return row?.role;
  }

  /** Makes `uid` the only owner (a moderator who becomes owner stops being listed as one); null: nobody. */
  setOwner(uid: string | null, now: number): void {
    this.sql.exec("DELETE FROM roles WHERE role = 'owner'");
    if (uid !== null) this.sql.exec("INSERT OR REPLACE INTO roles (uid, role, since) VALUES (?, 'owner', ?)", uid, now);
  }

  /** Promotes a person who has no role yet; the owner stays owner. */
  promote(uid: string, now: number): void {
    this.sql.exec("INSERT OR IGNORE INTO roles (uid, role, since) VALUES (?, 'moderator', ?)", uid, now);
  }

  demote(uid: string): void {
    this.sql.exec("DELETE FROM roles WHERE uid = ? AND role = 'moderator'", uid);
  }

  settings(): RoomSettings {
    const [row] = this.sql
      .exec<{ topic: string; slow_seconds: number; locked: number }>("SELECT topic, slow_seconds, locked FROM settings WHERE id = 1")
      .toArray();
    return row ? { topic: row.topic, slowSeconds: row.slow_seconds, locked: row.locked === 1 } : { ...DEFAULT_SETTINGS };
  }

  saveSettings({ topic, slowSeconds, locked }: RoomSettings): void {
    this.sql.exec("INSERT OR REPLACE INTO settings (id, topic, slow_seconds, locked) VALUES (1, ?, ?, ?)", topic, slowSeconds, locked ? 1 : 0);
  }

  state(): RoomState {
    const rows = this.sql.exec<{ uid: string; role: Role }>("SELECT uid, role FROM roles ORDER BY since, uid").toArray();
    return {
      owner: rows.find((row) => row.role === "owner")?.uid ?? null,
      moderators: rows.filter((row) => row.role === "moderator").map((row) => row.uid),
      ...this.settings(),
    };
  }

  /**
   * The ban in force at `now` on `uid`, or on a banned person's network `address` comes from (the
   * longest, if several); an expired one is as good as none.
   */
  ban(uid: string, now: number, address?: string): Ban | undefined {
    const [row] = this.sql
      .exec<{ until: number | null; reason: string | null }>(
        `SELECT until, reason FROM bans
         WHERE (uid = ?1 OR uid IN (SELECT uid FROM ban_addresses WHERE address = ?2)) AND (until IS NULL OR until > ?3)
         ORDER BY until IS NULL DESC, until DESC LIMIT 1`,
        uid,
        address ?? null,
        now,
      )
      .toArray();
    if (!row) return undefined;
    return row.reason === null ? { until: row.until } : { until: row.until, reason: row.reason };
  }

  /** Bans `uid` (replacing an earlier ban, networks included), and forgets bans that have ended. */
  addBan(uid: string, { until, reason, addresses = [], name, by }: NewBan, now: number): void {
    this.sql.exec("DELETE FROM ban_addresses WHERE uid IN (SELECT uid FROM bans WHERE until <= ?) OR uid = ?", now, uid);
    this.sql.exec("DELETE FROM bans WHERE until <= ?", now);
    this.sql.exec(
      "INSERT OR REPLACE INTO bans (uid, until, reason, name, banned_by, banned_at) VALUES (?, ?, ?, ?, ?, ?)",
      uid,
      until,
      reason ?? null,
      name ?? null,
      by,
      now,
    );
    for (const address of new Set(addresses)) this.sql.exec("INSERT INTO ban_addresses (address, uid) VALUES (?, ?)", address, uid);
  }

  /** Lifts a ban in force on `uid`, networks included; false when there was none. */
  removeBan(uid: string, now: number): boolean {
    const lifted = this.ban(uid, now) !== undefined;
    this.sql.exec("DELETE FROM ban_addresses WHERE uid = ?", uid);
    this.sql.exec("DELETE FROM bans WHERE uid = ?", uid);
    return lifted;
  }

  /** The newest `limit` bans in force at `now`, newest first (older ones without a time last), and how many there are. */
  bans(now: number, limit: number): { bans: BanEntry[]; total: number } {
    const rows = this.sql
      .exec<BanRow>(
        `SELECT uid, name, reason, until, banned_at, banned_by, EXISTS (SELECT 1 FROM ban_addresses a WHERE a.uid = bans.uid) AS address
         FROM bans WHERE until IS NULL OR until > ?1
         ORDER BY banned_at IS NULL, banned_at DESC, uid LIMIT ?2`,
        now,
        limit,
      )
      .toArray();
    const [count] = this.sql.exec<{ total: number }>("SELECT count(*) AS total FROM bans WHERE until IS NULL OR until > ?", now).toArray();
    return { bans: rows.map(entryOf), total: count?.total ?? 0 };
  }
}

function entryOf({ uid, name, reason, until, banned_at, banned_by, address }: BanRow): BanEntry {
  const entry: BanEntry = { uid, name, until, since: banned_at, by: banned_by };
  if (reason !== null) entry.reason = reason;
  if (address === 1) entry.address = true;
  return entry;
}
