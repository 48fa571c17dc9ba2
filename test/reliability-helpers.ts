/**
 * Helpers for the reliability tests that run inside workerd: the room's stored history read
 * straight from its SQLite table, and a `Dial` that plugs the reconnecting client into the pool.
 */
import { env, runInDurableObject } from "cloudflare:test";
import type { Dial, Socket } from "./e2e/reliable-client";
import { connect } from "./helpers";

export interface StoredRow {
  id: number;
  sender_id: string;
  sender_name: string;
  text: string;
  nonce: string | null;
}

/** Every row of the room's `messages` table, by id. */
export function storedRows(room: string): Promise<StoredRow[]> {
  return runInDurableObject(env.ROOMS.getByName(room), (_instance, state) =>
    state.storage.sql
      .exec<Record<string, SqlStorageValue>>("SELECT id, sender_id, sender_name, text, nonce FROM messages ORDER BY id")
      .toArray()
      .map((row) => ({ ...row }) as unknown as StoredRow),
  );
}

/** The stored rows in the shape `comparable()` gives a received message. */
export async function storedLog(room: string): Promise<[number, string, string, string][]> {
  return (await storedRows(room)).map((row) => [row.id, row.sender_id, row.sender_name, row.text]);
}

/** Connects a reliability client through the worker, as the page would; a refused upgrade rejects. */
export function dialRoom(room: string): Dial {
  return async (name, since) => {
    const query = new URLSearchParams({ name });
    if (since !== undefined) query.set("since", String(since));
    const client = await connect(room, `?${query}`);
    return client.ws as unknown as Socket;
  };
}

/** The nth percentile (0-100) of some numbers. */
export function percentile(values: number[], nth: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((nth / 100) * sorted.length) - 1)] ?? 0;
}

