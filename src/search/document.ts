/**
 * @module
 * What the index holds for one message: its text cut by the analyzer into the columns of the
 * `search` table (schema.ts), each a space-separated list of terms the FTS5 tokenizer keeps as is.
 */
import { BREAK, chars, pairs, tokens } from "./analyze";

/** The index's columns, in the table's order. */
export interface SearchDocument {
  /** Word terms in order; a run between two words leaves a BREAK, so phrases stay honest. */
  words: string;
  /** Each run's character pairs in order, runs separated by a BREAK. */
  pairs: string;
  /** Every character of every run (one-character queries). */
  chars: string;
  /** `link` when the text has an http(s) URL. */
  tags: string;
}

/** The same URLs the page turns into links (src/client/message-text.ts). */
const LINK = /https?:\/\/[^\s<>"\p{Cf}\u3000-\u303f\uff00-\uffef]/iu;

export function documentOf(text: string): SearchDocument {
  const words: string[] = [];
  const runPairs: string[] = [];
  const runChars: string[] = [];
  for (const token of tokens(text)) {
    if (token.kind === "word") {
      words.push(token.term);
      continue;
    }
    if (words.length > 0 && words.at(-1) !== BREAK) words.push(BREAK);
    if (runPairs.length > 0) runPairs.push(BREAK);
    runPairs.push(...pairs(token.text));
    runChars.push(...chars(token.text));
  }
  return { words: words.join(" "), pairs: runPairs.join(" "), chars: runChars.join(" "), tags: LINK.test(text) ? "link" : "" };
}
