/**
 * @module
 * How text becomes searchable terms. One analyzer serves the index, the query and the highlights,
 * so what a query matches and what its highlight marks can never disagree.
 *
 * - Words (Latin, Cyrillic, Greek, Arabic, Devanagari...): runs of letters, digits and marks,
 *   compatibility-folded (full-width `ｈｅｌｌｏ` is `hello`), without Latin/Greek/Cyrillic accents,
 *   lower-cased and Porter-stemmed, so `Running`, `runs` and `run` are one term.
 * - Scripts written without spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar, Tibetan) have no
 *   words to find: a run of them is indexed as its characters and its overlapping character pairs,
 *   so any substring is a phrase of pairs (or, for one character, the character itself).
 */
import { stemmer } from "stemmer";

/** Writing systems matched by substring; the lookahead keeps their punctuation (`、`, `。`) out. */
const UNSPACED =
  /(?=[\p{L}\p{N}\p{M}])[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const ACCENTS = /[\u0300-\u036f]/g;

/** A word of the text: its term and where it stands (UTF-16 offsets, `end` exclusive). */
export interface WordToken {
  kind: "word";
  term: string;
  start: number;
  end: number;
}

/** A run of unspaced script, kept as written. */
export interface RunToken {
  kind: "run";
  text: string;
  start: number;
  end: number;
}

export type Token = WordToken | RunToken;

/** The term a word stands for; empty when nothing searchable is left of it. */
function term(word: string): string {
  const folded = word.normalize("NFKD").replace(ACCENTS, "").toLowerCase();
  // Folding can reveal separators (`ﬁ` is `fi`, `½` is `1⁄2`); keep only what the index tokenizes.
  const kept = Array.from(folded)
    .filter((char) => WORD_CHAR.test(char))
    .join("");
  // Porter's rules are for English: other words (and numbers) stay as folded.
  return /^[a-z]{3,}$/.test(kept) ? stemmer(kept) : kept;
}

type Kind = "word" | "run" | "gap";

function kindOf(char: string): Kind {
  if (UNSPACED.test(char)) return "run";
  return WORD_CHAR.test(char) ? "word" : "gap";
}

/** The text's words and unspaced runs, in order. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  let kind: Kind = "gap";
  let start = 0;
  let offset = 0;
  const close = () => {
    if (kind === "gap" || offset === start) return;
    const piece = text.slice(start, offset);
    if (kind === "run") out.push({ kind, text: piece, start, end: offset });
    else {
      const t = term(piece);
      if (t !== "") out.push({ kind, term: t, start, end: offset });
    }
  };
  for (const char of text) {
    const next = kindOf(char);
    // A mark continues whatever it follows (an accent on a word, a vowel sign in a Thai run).
    const joins = next === kind || (/\p{M}/u.test(char) && kind !== "gap");
    if (!joins) {
      close();
      kind = next;
      start = offset;
    }
    offset += char.length;
  }
  close();
  return out;
}

/** A run's overlapping character pairs; a one-character run has none. */
export function pairs(run: string): string[] {
  const chars = Array.from(run);
  return chars.slice(1).map((char, i) => chars[i] + char);
}

export function chars(run: string): string[] {
  return Array.from(run);
}

/**
 * Stands between two runs (or two words a run separated) in the index, so a phrase cannot match
 * across them. A private-use character: the analyzer never makes a term of one, so no query can
 * name it.
 */
export const BREAK = "\ue000";
