/**
 * @module
 * The emoji picker: a dozen common reactions to click, and a field for any other emoji, typed or
 * pasted. The field turns away what is plainly not one emoji (words, several emoji); the room
 * decides the rest (`invalid_emoji`), by a rule newer than some browsers' emoji data.
 */
import { el } from "./dom";
import { t } from "./i18n/index";
import { closePopup, openPopup } from "./popup";

const COMMON_EMOJI = ["👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "👀", "🔥", "✅", "👏", "🤔"] as const;

// Every emoji has a pictograph, a skin tone, a flag's regional indicators or a keycap in it.
const EMOJI_PART = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u20E3/u;

/** False for what cannot be a single emoji; true may still be refused by the room. */
function mayBeOneEmoji(text: string): boolean {
  if (!EMOJI_PART.test(text)) return false;
  return typeof Intl.Segmenter !== "function" || [...new Intl.Segmenter().segment(text)].length === 1;
}

let pickers = 0;

/** Opens the picker next to `trigger`; `pick` gets the chosen emoji, and the picker closes. */
export function openPicker(trigger: HTMLElement, pick: (emoji: string) => void): void {
  const id = `picker-${++pickers}`;
  const choose = (emoji: string): void => {
    closePopup(true);
    pick(emoji);
  };
  const buttons = COMMON_EMOJI.map((emoji) => {
    const button = el("button", { className: "pick", text: emoji, attrs: { type: "button" } });
    button.addEventListener("click", () => choose(emoji));
    return button;
  });
  const field = el("input", { attrs: { type: "text", id: `${id}-other`, autocomplete: "off", spellcheck: "false", "aria-describedby": `${id}-error` } });
  const error = el("p", { className: "field-error", attrs: { id: `${id}-error`, role: "alert" } });
  error.hidden = true;
  const form = el(
    "form",
    { className: "other-emoji" },
    el("label", { text: t("picker.other"), attrs: { for: field.id } }),
    el("div", { className: "row" }, field, el("button", { text: t("picker.add"), attrs: { type: "submit" } })),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const emoji = field.value.trim();
    if (mayBeOneEmoji(emoji)) return choose(emoji);
    error.textContent = t("picker.invalid");
    error.hidden = false;
    field.setAttribute("aria-invalid", "true");
    field.focus();
  });
  const panel = el(
    "div",
    { className: "picker", attrs: { role: "dialog", id, "aria-label": t("picker.label") } },
    el("div", { className: "picks" }, ...buttons),
    form,
  );
  openPopup(trigger, panel);
  buttons[0]!.focus();
}
