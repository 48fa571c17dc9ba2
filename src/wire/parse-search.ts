/**
 * @module
 * The `search` frame's fields, and the frame that answers it. The query itself is read by the
 * room (src/search/query.ts): here only its shape, so a socket and the HTTP route agree.
 */
import { refuse, withNonce } from "./checks";
import {
  type ErrorFrame,
  errorFrame,
  MAX_QUERY_CHARS,
  MAX_SEARCH_RESULTS,
  type Parsed,
  type SearchPage,
  type SearchResultsFrame,
  type SendSearch,
} from "./protocol";

/** A page size: an integer from 1 to MAX_SEARCH_RESULTS. */
export function isSearchLimit(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_SEARCH_RESULTS;
}

export function parseSearch(frame: Record<string, unknown>): Parsed<SendSearch> {
  return withNonce<SendSearch>(frame, () => {
    const { q, before, limit } = frame;
    if (typeof q !== "string") return refuse("invalid_query", "q must be a string");
    if (q.length > MAX_QUERY_CHARS * 2) return refuse("invalid_query", `q is over ${MAX_QUERY_CHARS} characters`);
    if (before !== undefined && !(typeof before === "number" && Number.isSafeInteger(before) && before > 0)) {
      return refuse("invalid_query", "before must be a positive integer message id");
    }
    if (limit !== undefined && !isSearchLimit(limit)) return refuse("invalid_query", `limit must be an integer from 1 to ${MAX_SEARCH_RESULTS}`);
    const search: SendSearch = { type: "search", q };
    if (before !== undefined) search.before = before as number;
    if (limit !== undefined) search.limit = limit;
    return { ok: true, value: search };
  });
}

/** What answers a search frame: its results, or why the query was refused; with its nonce either way. */
export function searchAnswer(search: SendSearch, found: Parsed<SearchPage>): SearchResultsFrame | ErrorFrame {
  const nonce = search.nonce === undefined ? {} : { nonce: search.nonce };
  if (!found.ok) return errorFrame({ ...found, ...nonce });
  return { type: "search_results", q: search.q, messages: found.value.messages, nextBefore: found.value.nextBefore, ...nonce };
}
