/**
 * @module
 * The search frames of the wire protocol: a `search` and its `search_results`, also the body of
 * `GET /api/rooms/<room>/search`. Types and limits only; parsed in parse-search.ts. Documented in
 * docs/protocol.md ("Search"). A public contract: extend, never rename.
 */

import type { MessageFrame } from "./message-frames";

/** Results a search may return at once, and how many it returns without `limit`. */
export const MAX_SEARCH_RESULTS = 50;
export const DEFAULT_SEARCH_RESULTS = 20;
/** The longest query, in characters. */
export const MAX_QUERY_CHARS = 2000;

/**
 * A search of the room's history (docs/protocol.md, "Search"), answered by `search_results` or
 * an `invalid_query` error, either with the nonce. `before` pages: the `nextBefore` of the last answer.
 */
export interface SendSearch {
  type: "search";
  q: string;
  before?: number;
  limit?: number;
  nonce?: string;
}

/** Where a query matched in a text: `[start, end)` in UTF-16 code units (JavaScript string indices). */
export type Span = [start: number, end: number];

/** A message that matched, in its current state, with the matched parts of its `text`. */
export type SearchHit = MessageFrame & { highlight: Span[] };

/** One page of matches, newest first; `nextBefore` is the `before` of the next page, null after the last. */
export interface SearchPage {
  messages: SearchHit[];
  nextBefore: number | null;
}

export interface SearchResultsFrame extends SearchPage {
  type: "search_results";
  q: string;
  nonce?: string;
}
