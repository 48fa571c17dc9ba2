/**
 * @module
 * A person's initial in a coloured circle. The colour is a class, not a style attribute, because the
 * CSP allows no inline styles; the same name always gets the same colour.
 */
import { el } from "./dom";

const HUES = 8;

export function avatar(name: string): HTMLSpanElement {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  const initial = [...name.trim()][0]?.toUpperCase() ?? "?";
  return el("span", { className: `avatar hue-${hash % HUES}`, text: initial, attrs: { "aria-hidden": "true" } });
}
