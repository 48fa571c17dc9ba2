/**
 * @module
 * What a message's text becomes on the page: `http:` and `https:` URLs turn into links, built as
 * elements with text content, so the text never becomes markup and no other scheme (`javascript:`,
 * `data:` ...) is ever one click away; and `@name` tells whether it mentions the reader.
 */
import { el } from "./dom";

// A URL ends at whitespace, quotes and angle brackets, at invisible format characters (bidi
// overrides, zero-width spaces: they could make the shown text lie about the target), and at CJK
// or full-width punctuation, which in Chinese text ends a URL the way a space does in English.
const URL_CANDIDATE = /https?:\/\/[^\s<>"\p{Cf}\u3000-\u303f\uff00-\uffef]+/giu;
// Sentence punctuation right after a URL belongs to the sentence.
const TRAILING = /[.,:;!?'*]$/;

export interface Segment {
  text: string;
  /** Set on a link: the URL as the browser normalised it (punycode host, percent-encoding). */
  href?: string;
}

/** The text cut into plain runs and links, in order; joined, the runs give back `text`. */
export function linkSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = httpHref(candidate);
    if (href === undefined) continue;
    if (match.index > at) segments.push({ text: text.slice(at, match.index) });
    segments.push({ text: candidate, href });
    at = match.index + candidate.length;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

/** The message text as nodes: text nodes and links that open in a new tab and pass nothing on. */
export function richText(text: string): Node[] {
  return linkSegments(text).map(({ text, href }) =>
    href === undefined ? document.createTextNode(text) : el("a", { text, attrs: { href, target: "_blank", rel: "noopener noreferrer nofollow ugc" } }),
  );
}

// Scripts written without spaces between words: there a name ends wherever the next word begins.
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\u3000-\u303f\uff00-\uffef]/u;
const WORD = /[\p{L}\p{N}_]/u;

/**
 * Whether `text` says `@name`: in any case, and not as part of a longer name or an address.
 * With `present` (the names of the members in the room), an `@` next to text in a script
 * written without spaces (`你好@小明你好`) is read too: it names the longest present name that
 * follows it, so `@小明白天` mentions 小明白 if they are here, else 小明.
 */
export function mentions(text: string, name: string, present?: Iterable<string>): boolean {
  if (present === undefined) return new RegExp(`(?<![\\p{L}\\p{N}_])@${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, "iu").test(text);
  const wanted = name.toLowerCase();
  const names = [...new Set([...present, name].map((each) => each.toLowerCase()))].sort((a, b) => [...b].length - [...a].length);
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    if (!opensMention(text, at)) continue;
    const named = names.find((each) => namedAt(text, at + 1, each));
    if (named === wanted) return true;
  }
  return false;
}

/** An `@` after a word character of a spaced script is an address (`bob@example`), not a mention. */
function opensMention(text: string, at: number): boolean {
  const before = [...text.slice(0, at)].pop();
  return before === undefined || !WORD.test(before) || UNSPACED.test(before);
}

/** Whether the text at `from` is `name` (lower case) and then ends as a word would. */
function namedAt(text: string, from: number, name: string): boolean {
  const rest = text.slice(from);
  const head = [...rest].slice(0, [...name].length).join("");
  if (head.toLowerCase() !== name) return false;
  const next = [...rest.slice(head.length)][0];
  const last = [...head].pop() ?? "";
  return next === undefined || !WORD.test(next) || UNSPACED.test(next) || UNSPACED.test(last);
}

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Drops trailing sentence punctuation, and a closing bracket the URL did not open (`(see https://x.y)`). */
function trimTrailing(candidate: string): string {
  let url = candidate;
  while (TRAILING.test(url) || unbalanced(url, "(", ")") || unbalanced(url, "[", "]")) url = url.slice(0, -1);
  return url;
}

function unbalanced(url: string, open: string, close: string): boolean {
  return url.endsWith(close) && url.split(open).length < url.split(close).length;
}

function httpHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
