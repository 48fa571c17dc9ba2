/**
 * @module
 * The page's language: chosen once at load (the remembered switch, else the browser's languages),
 * applied to the static HTML through `data-i18n` attributes, and to everything the scripts write
 * through `t()` and the formatters here.
 *
 * Switching reloads the page. The name, the draft and the history come back by themselves, and
 * every string and time is then rendered once, in one language, instead of each view learning to
 * re-render itself. Messages still waiting to be sent (typed offline) would not come back, so the
 * reload waits for them to go (reload-guard.ts), saying so in the language being left.
 */
import { el } from "../dom";
import { reloadWhenSafe } from "../reload-guard";
import { load, save } from "../storage";
import { chooseLanguage, isKey, isLanguage, LANGUAGES, type ParamArgs, translate } from "./catalog";
import type { Key } from "./en";

const STORAGE_KEY = "edge-chat.language";

/** An embedding site names the frame's language in its URL (`?lang=`); it beats the remembered one. */
const asked = new URLSearchParams(location.search).get("lang") ?? undefined;
const language = chooseLanguage(asked !== undefined && isLanguage(asked) ? asked : load(STORAGE_KEY), navigator.languages);

export function t<K extends Key>(key: K, ...[params]: ParamArgs<K>): string {
  return translate(language, key, params);
}

const time = new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit" });
const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(language, { style: "narrow" });
const relativeLong = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
const list = new Intl.ListFormat(language, { type: "conjunction" });
const number = new Intl.NumberFormat(language);

/** A message's time: the clock time today, the date too on other days. */
export function formatWhen(when: Date, now = new Date()): string {
  return when.toDateString() === now.toDateString() ? time.format(when) : dateTime.format(when);
}

export const formatDateTime = (when: Date): string => dateTime.format(when);
export const formatInSeconds = (seconds: number): string => relative.format(seconds, "second");
export const formatList = (items: string[]): string => list.format(items);
export const formatNumber = (value: number): string => number.format(value);

/** A file's size in the largest unit that keeps it at least 1 (bytes, kB, MB, GB). */
export function formatBytes(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  const power = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log(Math.max(bytes, 1)) / Math.log(1024))));
  const value = bytes / 1024 ** power;
  return new Intl.NumberFormat(language, { style: "unit", unit: units[power], unitDisplay: "short", maximumFractionDigits: power === 0 ? 0 : 1 }).format(value);
}

/** The units a duration is said in, largest first, with their length in seconds. */
const UNITS = [
  ["week", 604_800],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
] as const;

function inUnit(value: number, unit: (typeof UNITS)[number][0], unitDisplay: "long" | "narrow"): string {
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay }).format(value);
}

/** A setting's length, in the largest unit it is a whole number of: "10 minutes", "1 day", "90 seconds". */
export function formatDuration(seconds: number): string {
  const [unit, size] = UNITS.find(([, size]) => seconds >= size && seconds % size === 0) ?? UNITS[4];
  return inUnit(seconds / size, unit, "long");
}

/** Time left on a countdown, short: "45s" under a minute, "5m" (minutes, rounded up) above. */
export function formatCountdown(seconds: number): string {
  const whole = Math.ceil(seconds);
  return whole < 60 ? inUnit(whole, "second", "narrow") : inUnit(Math.ceil(whole / 60), "minute", "narrow");
}

/** How far off a moment is, roughly, in the largest unit that (nearly) fits: "in 1 hour", "tomorrow". */
export function formatFromNow(when: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((when - now) / 1000));
  // A ban of an hour, seen a moment later, still ends "in 1 hour", not "in 60 minutes".
  const [unit, size] = UNITS.find(([, size]) => seconds >= size * 0.95) ?? UNITS[4];
  return relativeLong.format(Math.round(seconds / size), unit);
}

/**
 * Translates the static HTML: `data-i18n="key"` sets an element's text, `data-i18n-<attribute>`
 * one of its attributes (`aria-label`, `placeholder`, `title`). `<html lang>` follows the language.
 */
export function localize(root: Document): void {
  root.documentElement.lang = language;
  for (const node of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const key = node.dataset.i18n!;
    if (isKey(key)) node.textContent = translate(language, key);
  }
  for (const attribute of ["aria-label", "placeholder", "title"]) {
    for (const node of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      const key = node.getAttribute(`data-i18n-${attribute}`)!;
      if (isKey(key)) node.setAttribute(attribute, translate(language, key));
    }
  }
}

/** Fills the language `<select>` with every language, each named in itself, and wires the switch. */
export function languageSwitch(select: HTMLSelectElement): void {
  for (const [tag, messages] of Object.entries(LANGUAGES)) {
    const option = new Option(messages["language.name"], tag, false, tag === language);
    option.lang = tag;
    select.add(option);
  }
  select.addEventListener("change", () => {
    if (!isLanguage(select.value)) return;
    save(STORAGE_KEY, select.value);
    reloadWhenSafe(() => select.after(el("p", { className: "language-note", text: t("language.held"), attrs: { role: "status" } })));
  });
}
