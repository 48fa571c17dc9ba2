/**
 * @module
 * The message box: a textarea that grows to a few lines. Enter sends and Shift+Enter starts a new
 * line, except where the main pointer is a finger (`(pointer: coarse)`: phones and tablets), whose
 * on-screen keyboards have no Shift to hold: there Enter starts a new line and the Send button
 * sends, as in the chat apps people know. An Enter that confirms an input method's composition
 * (Chinese, Japanese, Korean) never sends. A counter appears near the length limit, in code points
 * as the server counts, and each room's draft survives a reload.
 */
import { byId } from "./dom";
import { t } from "./i18n";
import { load, save } from "./storage";

export interface ComposerOptions {
  room: string;
  /** Sends (or queues) `text`; returns why it could not, in words for the reader. */
  submit: (text: string) => string | undefined;
  /** Called on each keystroke that leaves something typed. */
  typing: () => void;
  /** The room's limit in code points; it can change with each welcome. */
  maxChars: () => number;
}

export interface Composer {
  showError(text: string): void;
}

/** The counter shows once this share of the limit is used. */
const COUNTER_FROM = 0.9;
const touchFirst = (): boolean => matchMedia("(pointer: coarse)").matches;

export function startComposer(options: ComposerOptions): Composer {
  const form = byId("composer", HTMLFormElement);
  const input = byId("message", HTMLTextAreaElement);
  const send = byId("send", HTMLButtonElement);
  const counter = byId("counter", HTMLParagraphElement);
  const error = byId("composer-error", HTMLParagraphElement);
  const draftKey = `edge-chat.draft.${options.room}`;
  let composing = false;

  const changed = (): void => {
    fit(input);
    showCount(counter, [...input.value].length, options.maxChars());
    save(draftKey, input.value === "" ? undefined : input.value);
  };
  const showError = (text: string): void => {
    error.textContent = text;
    error.hidden = false;
  };

  // Enabled even while offline: what is typed then waits in the outbox.
  input.disabled = send.disabled = false;
  input.enterKeyHint = touchFirst() ? "enter" : "send";
  input.value = load(draftKey) ?? "";
  changed();
  input.focus();

  input.addEventListener("compositionstart", () => (composing = true));
  input.addEventListener("compositionend", () => (composing = false));
  input.addEventListener("input", () => {
    error.hidden = true;
    changed();
    if (input.value.trim() !== "") options.typing();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || touchFirst()) return;
    // Safari sends the confirming Enter after compositionend, but with keyCode 229 ("IME busy").
    if (event.isComposing || composing || event.keyCode === 229) return;
    event.preventDefault();
    form.requestSubmit();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Blank lines around the text are a slip of the Enter key (or of an input method), not content.
    const problem = options.submit(input.value.replace(/^\s*\n/, "").trimEnd());
    if (problem === undefined) {
      input.value = "";
      changed();
    } else if (input.value.trim() !== "") {
      showError(problem);
    }
    input.focus();
  });
  return { showError };
}

/** Grows the box with its text; the stylesheet's max-height caps it, and it scrolls beyond. */
function fit(input: HTMLTextAreaElement): void {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight + input.offsetHeight - input.clientHeight}px`;
}

function showCount(counter: HTMLElement, chars: number, max: number): void {
  counter.hidden = chars < max * COUNTER_FROM;
  if (counter.hidden) return;
  const over = chars > max;
  counter.classList.toggle("over", over);
  counter.textContent = over ? t("composer.over", { count: chars - max }) : t("composer.left", { count: max - chars });
}
