/**
 * @module
 * The search language, small and forgiving: words (all must match), `"exact phrase"`,
 * `from:<name or uid>`, `has:link`, `has:file`, `before:YYYY-MM-DD`, `after:YYYY-MM-DD`. Anything
 * else is a word. The parser never hands SQLite a user's syntax: every term is rebuilt from the
 * analyzer's output and quoted, so `NEAR(`, `AND`, `*` or a stray quote are only ever text.
 */
import { refuse } from "../wire/checks";
import { MAX_QUERY_CHARS, type Parsed } from "../wire/protocol";
import { pairs, tokens } from "./analyze";

/** Words and phrases a query may hold; each is one lookup in the index. */
const MAX_TERMS = 32;
/** Terms over all words and phrases (a Chinese run of n characters is n - 1 pairs). */
const MAX_TOKENS = 64;

/** One thing that must be in the text: consecutive words, or a substring of an unspaced run. */
export type Term = { kind: "words"; terms: string[] } | { kind: "run"; text: string };

export interface SearchQuery {
  terms: Term[];
  /** Names or uids; a message by any of them matches. */
  from: string[];
  has: ("link" | "file")[];
  /** Messages stored before this moment (ms), i.e. before that day began (UTC). */
  before?: number;
  /** Messages stored from this moment (ms), i.e. once that day had ended (UTC). */
  after?: number;
}

const DAY_MS = 86_400_000;
// An operator, then a quoted value (the closing quote may be missing) or a bare one; or a bare word.
const PIECE = /(?:([A-Za-z]+):)?(?:"([^"]*)"?|([^\s"]+))/gu;

function invalid(message: string): Parsed<never> {
  return refuse("invalid_query", message);
}

/** Midnight UTC of a `YYYY-MM-DD` day, or undefined for anything that is not a real date. */
function day(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === date ? ms : undefined;
}

/** A word or a phrase as terms: its words as one phrase per stretch, each run as a substring. */
function termsOf(text: string): Term[] {
  const out: Term[] = [];
  for (const token of tokens(text)) {
    const last = out.at(-1);
    if (token.kind === "run") out.push({ kind: "run", text: token.text });
    else if (last?.kind === "words") last.terms.push(token.term);
    else out.push({ kind: "words", terms: [token.term] });
  }
  return out;
}

type Operator = (query: SearchQuery, value: string) => string | undefined;

/** Each operator applies its value, or says what is wrong with it. */
const OPERATORS: Record<string, Operator> = {
  from: (query, value) => {
    query.from.push(value);
    return undefined;
  },
  has: (query, value) => {
    const what = value.toLowerCase();
    if (what !== "link" && what !== "file") return `has: takes "link" or "file", not "${value.slice(0, 40)}"`;
    if (!query.has.includes(what)) query.has.push(what);
    return undefined;
  },
  before: (query, value) => {
    const ms = day(value);
    if (ms === undefined) return "before: takes a date as YYYY-MM-DD";
    query.before = Math.min(query.before ?? ms, ms);
    return undefined;
  },
  after: (query, value) => {
    const ms = day(value);
    if (ms === undefined) return "after: takes a date as YYYY-MM-DD";
    query.after = Math.max(query.after ?? ms + DAY_MS, ms + DAY_MS);
    return undefined;
  },
};

export function parseQuery(raw: unknown): Parsed<SearchQuery> {
  if (typeof raw !== "string") return invalid("q must be a string");
  if (Array.from(raw).length > MAX_QUERY_CHARS) return invalid(`q is over ${MAX_QUERY_CHARS} characters`);
  const query: SearchQuery = { terms: [], from: [], has: [] };
  for (const [, key, quoted, bare] of raw.matchAll(PIECE)) {
    const value = quoted ?? bare ?? "";
    const operator = key === undefined ? undefined : OPERATORS[key.toLowerCase()];
    if (operator && value !== "") {
      const problem = operator(query, value);
      if (problem) return invalid(problem);
    } else query.terms.push(...termsOf(key === undefined ? value : `${key}:${value}`));
  }
  return checkSize(query);
}

function checkSize(query: SearchQuery): Parsed<SearchQuery> {
  const size = query.terms.reduce((n, term) => n + (term.kind === "words" ? term.terms.length : Math.max(1, pairs(term.text).length)), 0);
  if (query.terms.length > MAX_TERMS || size > MAX_TOKENS) return invalid(`a query may hold at most ${MAX_TERMS} words and phrases`);
  const filtered = query.from.length > 0 || query.has.length > 0 || query.before !== undefined || query.after !== undefined;
  if (query.terms.length === 0 && !filtered) return invalid("nothing to search for: give a word, a phrase or a filter");
  return { ok: true, value: query };
}

const quote = (terms: string[]) => `"${terms.join(" ")}"`;

/**
 * The FTS5 expression for what the index can answer (the terms and `has:`), or undefined when the
 * query only filters. Terms come from the analyzer, which never yields a quote or a space.
 */
export function matchExpression(query: SearchQuery): string | undefined {
  const parts = query.terms.map((term) => {
    if (term.kind === "words") return `words : ${quote(term.terms)}`;
    const runPairs = pairs(term.text);
    return runPairs.length === 0 ? `chars : ${quote([term.text])}` : `pairs : ${quote(runPairs)}`;
  });
  // `has:file` is no term: the files table answers it (search.ts).
  if (query.has.includes("link")) parts.push(`tags : ${quote(["link"])}`);
  return parts.length === 0 ? undefined : parts.join(" AND ");
}
