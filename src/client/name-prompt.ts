/**
 * @module
 * The display name: asked once, then remembered in localStorage for every room on this site.
 */
import { checkDisplayName, MAX_NAME_CHARS } from "../wire/names";
import { byId } from "./dom";
import { t } from "./i18n/index";
import { load, save } from "./storage";

const STORAGE_KEY = "edge-chat.name";

function remembered(): string | undefined {
  const stored = load(STORAGE_KEY);
  const checked = stored === undefined ? undefined : checkDisplayName(stored);
  return checked?.ok ? checked.name : undefined;
}

/** The remembered name, or the one the user types into the join dialog. */
export function displayName(): Promise<string> {
  const known = remembered();
  if (known !== undefined) return Promise.resolve(known);
  const dialog = byId("name-dialog", HTMLDialogElement);
  const form = byId("name-form", HTMLFormElement);
  const input = byId("display-name", HTMLInputElement);
  const error = byId("name-error", HTMLParagraphElement);
  input.maxLength = MAX_NAME_CHARS * 2; // UTF-16 units; the real rule counts characters.
  // A name is required: Escape must not dismiss the dialog and leave a room with no way in.
  dialog.addEventListener("cancel", (event) => event.preventDefault());
  dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener("submit", function submit(event) {
      event.preventDefault();
      const checked = checkDisplayName(input.value);
      if (!checked.ok) {
        const reason = checked.problem === "length" ? t("name.problem.length", { max: MAX_NAME_CHARS }) : t(`name.problem.${checked.problem}`);
        error.textContent = t("name.invalid", { reason });
        error.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      form.removeEventListener("submit", submit);
      save(STORAGE_KEY, checked.name);
      dialog.close();
      resolve(checked.name);
    });
  });
}
