/**
 * @module
 * Editing a message in place: its text becomes a box with the composer's rules (Enter saves,
 * Shift+Enter breaks the line, the counter near the limit), Escape or Cancel leaves it unchanged.
 * The box stays until the room has stored the edit, so a refusal (too fast, gone meanwhile) loses
 * nothing typed.
 */
import { el } from "./dom";
import { t } from "./i18n/index";
import { enterSubmits, fit, showCount, typedText } from "./text-box";

export interface EditorOptions {
  maxChars: () => number;
  /** Stores the new text; resolves with why it could not, in words for the reader, or undefined. */
  save: (text: string) => Promise<string | undefined>;
  /** The editor is gone, saved or not. */
  closed: () => void;
}

let editors = 0;

/** Opens an editor for `text` in place of the message text `shown`. */
export function editInPlace(shown: HTMLElement, text: string, options: EditorOptions): void {
  const id = `editor-${++editors}`;
  const input = el("textarea", { className: "edit-box", attrs: { rows: "1", "aria-label": t("edit.label"), "aria-describedby": `${id}-hint ${id}-counter` } });
  const counter = el("p", { className: "counter", attrs: { id: `${id}-counter` } });
  const error = el("p", { className: "field-error", attrs: { role: "alert" } });
  const save = el("button", { className: "primary", text: t("edit.save"), attrs: { type: "submit" } });
  const cancel = el("button", { text: t("edit.cancel"), attrs: { type: "button" } });
  const hint = el("span", { className: "hint", text: t("edit.hint"), attrs: { id: `${id}-hint` } });
  const form = el("form", { className: "editor" }, input, counter, error, el("div", { className: "row" }, hint, cancel, save));
  counter.hidden = error.hidden = true;
  input.value = text;

  const close = (): void => {
    form.remove();
    shown.hidden = false;
    options.closed();
  };
  const changed = (): void => {
    fit(input);
    showCount(counter, input.value, options.maxChars());
  };
  enterSubmits(input, form);
  input.addEventListener("input", () => {
    error.hidden = true;
    changed();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    close();
  });
  cancel.addEventListener("click", close);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const edited = typedText(input);
    if (edited === text) return close();
    save.disabled = true;
    save.textContent = t("edit.saving");
    void options.save(edited).then((problem) => {
      if (problem === undefined) return close();
      save.disabled = false;
      save.textContent = t("edit.save");
      error.textContent = problem;
      error.hidden = false;
      input.focus();
    });
  });

  shown.hidden = true;
  shown.after(form);
  changed();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}
