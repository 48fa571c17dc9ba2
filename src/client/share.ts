/**
 * @module
 * The "Copy link" button: the room's URL is the invitation.
 */
import { t } from "./i18n/index";

const RESET_MS = 2000;

export function shareButton(button: HTMLButtonElement, link: string): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener("click", async () => {
    let copied = true;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard permission (or an insecure origin): show the link so it can be copied by hand.
      copied = false;
      window.prompt(t("room.copyPrompt"), link);
    }
    if (!copied) return;
    button.textContent = t("room.linkCopied");
    clearTimeout(timer);
    timer = setTimeout(() => (button.textContent = t("room.copyLink")), RESET_MS);
  });
}
