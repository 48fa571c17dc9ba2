/**
 * Searching a room the ways a client can: the HTTP route and the `search` frame.
 */

import type { ErrorFrame, MessageFrame, SearchHit, SearchResultsFrame } from "../../src/wire/protocol";
import type { Client } from "../helpers";
import { request } from "../helpers";

const PUSH_TOKEN = "test-push-token"; // vitest.config.ts binds PUSH_TOKEN to this

/** Stores a message through the push API, as the bot `from`; returns it. */
export async function push(room: string, text: string, from = "bot"): Promise<MessageFrame> {
  const response = await request(`/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${PUSH_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ text, from }),
  });
  if (response.status !== 201) throw new Error(`push refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { message: MessageFrame }).message;
}

/** Stores each text in order; returns their messages. */
export async function pushAll(room: string, texts: string[], from?: string): Promise<MessageFrame[]> {
  const stored: MessageFrame[] = [];
  for (const text of texts) stored.push(await push(room, text, from));
  return stored;
}

export interface Found {
  status: number;
  messages: SearchHit[];
  nextBefore: number | null;
  error?: { code: string; message: string };
}

/** `GET /api/rooms/<room>/search` with `q` and any other parameters. */
export async function search(room: string, q: string, params: Record<string, string | number> = {}): Promise<Found> {
  const query = new URLSearchParams({ q, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  const response = await request(`/api/rooms/${room}/search?${query}`);
  const body = (await response.json()) as Partial<Found>;
  return { status: response.status, messages: body.messages ?? [], nextBefore: body.nextBefore ?? null, ...(body.error ? { error: body.error } : {}) };
}

/** The texts a query finds, newest first. */
export async function found(room: string, q: string): Promise<string[]> {
  const result = await search(room, q);
  if (result.status !== 200) throw new Error(`search "${q}" answered ${result.status} ${JSON.stringify(result.error)}`);
  return result.messages.map((m) => m.text);
}

/** Sends a `search` frame and waits for its answer (results or error, by nonce). */
export function searchFrame(client: Client, frame: Record<string, unknown>): Promise<SearchResultsFrame | ErrorFrame> {
  const nonce = crypto.randomUUID();
  client.send({ type: "search", ...frame, nonce });
  return client.until(
    () => client.frames.find((f): f is SearchResultsFrame | ErrorFrame => (f.type === "search_results" || f.type === "error") && f.nonce === nonce),
    3000,
    "the answer to search",
  );
}

/** The parts of `text` a hit's highlight marks. */
export function marked(hit: SearchHit): string[] {
  return hit.highlight.map(([start, end]) => hit.text.slice(start, end));
}
