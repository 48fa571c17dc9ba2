/**
 * @module
 * The languages the page speaks, and the rules that need no browser: which language a visitor
 * gets, and how a key with its parameters becomes text. To add a language, see README.md here.
 */
import { en, type Key, type Messages, type Plural } from "./en";
import { zhCN } from "./zh-CN";

/** Every language, by its BCP 47 tag. English comes first: it is the fallback. */
export const LANGUAGES = { en, "zh-CN": zhCN } as const satisfies Record<string, Messages>;

export type Language = keyof typeof LANGUAGES;
export type { Key };

type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type Template<K extends Key> = (typeof en)[K] extends string ? (typeof en)[K] : (typeof en)[K] extends Plural ? (typeof en)[K]["other"] : never;
/** The parameters a key's English text names; a plural also needs `count`, which picks the form. */
type Params<K extends Key> = { [P in Placeholders<Template<K>>]: string | number } & ((typeof en)[K] extends string ? unknown : { count: number });
/** `t("key")` for a key without parameters, `t("key", { ... })` for one with. */
export type ParamArgs<K extends Key> = keyof Params<K> extends never ? [] : [Params<K>];

export function isLanguage(tag: string): tag is Language {
  return Object.hasOwn(LANGUAGES, tag);
}

export function isKey(key: string): key is Key {
  return Object.hasOwn(en, key);
}

/**
 * The remembered choice if there is one, else the first of the browser's languages we speak, else
 * English. A tag matches a language exactly, or by language and script: `zh` and `zh-SG` read
 * Simplified Chinese (`zh-CN`), `zh-TW` reads Traditional and does not.
 */
export function chooseLanguage(remembered: string | undefined, preferred: readonly string[]): Language {
  if (remembered !== undefined && isLanguage(remembered)) return remembered;
  const ours = Object.keys(LANGUAGES) as Language[];
  for (const tag of preferred) {
    const wanted = script(tag);
    const match = ours.find((lang) => lang.toLowerCase() === tag.toLowerCase()) ?? ours.find((lang) => wanted !== undefined && script(lang) === wanted);
    if (match) return match;
  }
  return "en";
}

/** `zh-Hans`, `en-Latn`...: the part of a tag that decides whether a reader can read a text. */
function script(tag: string): string | undefined {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return `${locale.language}-${locale.script}`;
  } catch {
    // Not a well-formed tag: matches nothing.
    return undefined;
  }
}

/** The text of `key` in `lang`, with numbers formatted for the language. */
export function translate(lang: Language, key: Key, params: Record<string, string | number> = {}): string {
  const entry: string | Plural = LANGUAGES[lang][key];
  const template = typeof entry === "string" ? entry : (entry[new Intl.PluralRules(lang).select(Number(params.count))] ?? entry.other);
  const numbers = new Intl.NumberFormat(lang);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? numbers.format(value) : value;
  });
}
