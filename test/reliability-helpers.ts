/**
 * Helpers for the reliability tests that run inside workerd: the room's stored history read
 * straight from its SQLite table, and a `Dial` that plugs the reconnecting client into the pool.
 */
import { env, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
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
export function dialRoom(room: string, { batch = false } = {}): Dial {
  return async (name, since) => {
    const query = new URLSearchParams({ name });
    if (since !== undefined) query.set("since", String(since));
    if (batch) query.set("batch", "1");
    const client = await connect(room, `?${query}`);
    return client.ws as unknown as Socket;
  };
}

/** The nth percentile (0-100) of some numbers. */
export function percentile(values: number[], nth: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((nth / 100) * sorted.length) - 1)] ?? 0;
}

/** Characters that break naive text handling: bidi overrides, zero-width, lone surrogates, controls, emoji. */
const ODD = [
  "\u202e",
  "\u202d",
  "\u2066",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\u0000",
  "\u0085",
  "\u0301",
  "😀",
  "👩‍👩‍👧",
  "a",
  " ",
  "\n",
  "\t",
];

/** Strings a hostile or broken client might send as text, name or nonce. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.array(fc.constantFrom(...ODD), { maxLength: 30 }).map((parts) => parts.join("")),
  fc.constantFrom("", " ", "\u3000", "\n\t"),
  fc.integer({ min: 1990, max: 2010 }).map((n) => "é".repeat(n)),
);

/** Anything that may sit where a string belongs. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));

/** Object frames: right and wrong types, texts and nonces, extra fields. */
const objectFrame: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    type: fc.oneof(fc.constantFrom("message", "message", "typing"), oddString, fc.integer()),
    text: oddValue,
    nonce: fc.oneof(fc.constantFrom("n-1", "n-2"), fc.stringMatching(/^[\x21-\x7e]{1,64}$/), oddValue),
    extra: oddValue,
  },
  { requiredKeys: [] },
);

/** A JSON text nested `depth` levels deep, in the `text` field of a message frame. */
const deepFrame: fc.Arbitrary<string> = fc.integer({ min: 1, max: 3000 }).map((depth) => `{"type":"message","text":${"[".repeat(depth)}${"]".repeat(depth)}}`);

/** Raw text frames: object frames, any JSON, truncated JSON, garbage, deep nesting. */
export const rawFrame: fc.Arbitrary<string> = fc.oneof(
  objectFrame.map((frame) => JSON.stringify(frame)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.tuple(objectFrame, fc.nat()).map(([frame, cut]) => JSON.stringify(frame).slice(0, cut)),
  fc.string({ unit: "binary", maxLength: 60 }),
  deepFrame,
);
