/**
 * @module
 * What counts as one emoji for a reaction: a single grapheme that Unicode recommends as an emoji
 * (RGI), which includes flags, keycaps, skin tones and ZWJ sequences such as families.
 */

/** The longest RGI emoji (tag-sequence flags, families with skin tones) is far shorter. */
const MAX_UNITS = 64;
const VARIATION_SELECTOR_16 = "\uFE0F";

type Rules = { segmenter: Intl.Segmenter; rgi: RegExp };
let rules: Rules | undefined;

/**
 * Built on first use, not at load: compiling the RGI set is costly, and most frames carry no
 * reaction.
 */
function emojiRules(): Rules {
  rules ??= { segmenter: new Intl.Segmenter(), rgi: /^\p{RGI_Emoji}$/v };
  return rules;
}

/**
 * The emoji's canonical form, or `undefined` when `value` is not exactly one emoji. A symbol typed
 * without its emoji presentation selector (`❤` for `❤️`) gets it added, so both count as one
 * reaction instead of two chips that look the same.
 */
export function canonicalEmoji(value: string): string | undefined {
  if (value.length === 0 || value.length > MAX_UNITS) return undefined;
  const { segmenter, rgi } = emojiRules();
  if ([...segmenter.segment(value)].length !== 1) return undefined;
  if (rgi.test(value)) return value;
  const presented = value + VARIATION_SELECTOR_16;
  return rgi.test(presented) ? presented : undefined;
}
