/**
 * @module
 * Asking before removing someone from the room, in the page's modal `<dialog>`: a kick with an
 * optional reason, or a ban with its length (ten minutes to a week, or until unbanned) and an
 * optional reason. The person sees the reason (removal-view.ts). Enter in the reason field
 * confirms: Cancel is a plain button, so the confirm button is the form's default.
 */
import { confirmed } from "./confirm-dialog";
import { byId } from "./dom";
import { formatDuration, t } from "./i18n/index";

/** The ban lengths offered, in seconds; the default is the second. */
const BAN_SECONDS = [600, 3600, 86_400, 604_800];
const FOREVER = "";

export interface RemovalChoice {
  reason?: string;
  /** With a ban: its length; absent for a ban until unbanned. */
  seconds?: number;
}

/** Asks whether to kick or ban `name`; `undefined` when the reader cancels. */
export async function askRemoval(type: "kick" | "ban", name: string): Promise<RemovalChoice | undefined> {
  const dialog = byId("remove-dialog", HTMLDialogElement);
  const length = byId("ban-length", HTMLSelectElement);
  const reason = byId("remove-reason", HTMLInputElement);
  byId("remove-heading", HTMLHeadingElement).textContent = t(`${type}.heading`, { name });
  byId("remove-text", HTMLParagraphElement).textContent = t(`${type}.text`);
  byId("remove-confirm", HTMLButtonElement).textContent = t(`${type}.confirm`);
  byId("remove-cancel", HTMLButtonElement).onclick = () => dialog.close();
  byId("ban-length-field", HTMLDivElement).hidden = type !== "ban";
  if (length.options.length === 0) {
    for (const seconds of BAN_SECONDS) length.add(new Option(formatDuration(seconds), String(seconds)));
    length.add(new Option(t("ban.forever"), FOREVER));
  }
  length.selectedIndex = 1;
  reason.value = "";
  if (!(await confirmed("remove-dialog"))) return undefined;
  const choice: RemovalChoice = {};
  if (reason.value.trim() !== "") choice.reason = reason.value.trim();
  if (type === "ban" && length.value !== FOREVER) choice.seconds = Number(length.value);
  return choice;
}
