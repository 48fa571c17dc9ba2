/**
 * @module
 * What the message box and the message editor share: Enter sends and Shift+Enter starts a new
 * line, except where the main pointer is a finger (`(pointer: coarse)`: phones and tablets), whose
 * on-screen keyboards have no Shift to hold: there Enter starts a new line and a button sends, as
 * in the chat apps people know. An Enter that confirms an input method's composition (Chinese,
 * Japanese, Korean) never sends. The box grows to a few lines, and a counter appears near the
 * length limit, in code points as the server counts.
 */
import { t } from "./i18n/index";

/** The counter shows once this share of the limit is used. */
const COUNTER_FROM = 0.9;

const touchFirst = (): boolean => matchMedia("(pointer: coarse)").matches;

/** Makes Enter submit `form` from `input`, by the rules above. */
export function enterSubmits(input: HTMLTextAreaElement, form: HTMLFormElement): void {
  let composing = false;
  input.enterKeyHint = touchFirst() ? "enter" : "send";
  input.addEventListener("compositionstart", () => (composing = true));
  input.addEventListener("compositionend", () => (composing = false));
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || touchFirst()) return;
    // Safari sends the confirming Enter after compositionend, but with keyCode 229 ("IME busy").
    if (event.isComposing || composing || event.keyCode === 229) return;
    event.preventDefault();
    form.requestSubmit();
  });
}

/** Blank lines around the text are a slip of the Enter key (or of an input method), not content. */
export function typedText(input: HTMLTextAreaElement): string {
  return input.value.replace(/^\s*\n/, "").trimEnd();
}

/** Grows the box with its text; the stylesheet's max-height caps it, and it scrolls beyond. */
export function fit(input: HTMLTextAreaElement): void {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight + input.offsetHeight - input.clientHeight}px`;
}

/** Shows how many characters are left (or over) once the text nears `max`. */
export function showCount(counter: HTMLElement, text: string, max: number): void {
  const chars = [...text].length;
  counter.hidden = chars < max * COUNTER_FROM;
  if (counter.hidden) return;
  const over = chars > max;
  counter.classList.toggle("over", over);
  counter.textContent = over ? t("composer.over", { count: chars - max }) : t("composer.left", { count: max - chars });
}
