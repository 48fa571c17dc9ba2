/**
 * @module
 * Asking before something that cannot be undone (deleting a message), in the page's modal
 * `<dialog>`: the browser traps the focus in it, Escape answers "no" as Cancel does, and closing
 * it gives the focus back to where it was.
 */
import { byId } from "./dom";

/** Shows the dialog `id` (a form with method="dialog" whose buttons have values); true for "confirm". */
export function confirmed(id: string): Promise<boolean> {
  const dialog = byId(id, HTMLDialogElement);
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
  });
}
