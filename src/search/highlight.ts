/**
 * @module
 * Where a query matched in a message's text, as `[start, end)` offsets in UTF-16 code units (the
 * indices of a JavaScript string), sorted and merged. Never markup: the page builds the elements.
 */

import type { Span } from "../wire/protocol";
import { type RunToken, tokens, type WordToken } from "./analyze";
import type { SearchQuery, Term } from "./query";

/** Every place the words stand in a row among the text's words (a run between two words breaks the row). */
function wordSpans(terms: string[], stream: (WordToken | undefined)[]): Span[] {
  const out: Span[] = [];
  for (let i = 0; i + terms.length <= stream.length; i++) {
    if (terms.every((term, k) => stream[i + k]?.term === term)) out.push([stream[i]!.start, stream[i + terms.length - 1]!.end]);
  }
  return out;
}

function runSpans(text: string, runs: RunToken[]): Span[] {
  const out: Span[] = [];
  for (const run of runs) {
    for (let at = run.text.indexOf(text); at !== -1; at = run.text.indexOf(text, at + 1)) {
      out.push([run.start + at, run.start + at + text.length]);
    }
  }
  return out;
}

function merge(spans: Span[]): Span[] {
  const sorted = spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([...span]);
  }
  return out;
}

export function highlight(text: string, query: SearchQuery): Span[] {
  const all = tokens(text);
  // The index's word order: a run between words is a gap (undefined) no phrase spans.
  const stream = all.map((token) => (token.kind === "word" ? token : undefined));
  const runs = all.filter((token): token is RunToken => token.kind === "run");
  const spansOf = (term: Term) => (term.kind === "words" ? wordSpans(term.terms, stream) : runSpans(term.text, runs));
  return merge(query.terms.flatMap(spansOf));
}
