/**
 * @module
 * A host's theme inside the frame: five values, each checked by the browser's own CSS parser
 * against the one property it may set, so no value can carry another declaration, a `url()` or
 * anything else that is not a colour, a length or a font stack. The stylesheet does the rest.
 */
import { type EmbedTheme, parseTheme, type ThemeProperty } from "../../wire/embed-messages";

/** Each theme value: the custom property or property it sets, and the property that checks it. */
const TARGETS: Record<ThemeProperty, { set: string; check: string }> = {
  accent: { set: "--accent", check: "color" },
  background: { set: "--bg", check: "background-color" },
  text: { set: "--text", check: "color" },
  radius: { set: "--radius", check: "border-radius" },
  font: { set: "font-family", check: "font-family" },
};

/** Applies what is valid of `theme`; a value left out keeps what was set before. */
export function applyTheme(theme: EmbedTheme, root: HTMLElement = document.documentElement): void {
  if (theme.mode !== undefined) root.dataset.theme = theme.mode;
  for (const [key, target] of Object.entries(TARGETS) as [ThemeProperty, (typeof TARGETS)[ThemeProperty]][]) {
    const value = theme[key];
    if (value !== undefined && !/[;{}]|url\(/i.test(value) && CSS.supports(target.check, value)) root.style.setProperty(target.set, value);
  }
}

/** The theme embed.js put in the frame's address, for the first paint: held to the same rules as a `config`. */
export function themeFromQuery(query: URLSearchParams): EmbedTheme {
  return parseTheme(Object.fromEntries(query));
}
