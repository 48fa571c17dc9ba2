/**
 * @module
 * The "Copy link" button: the room's URL is the invitation.
 */

const RESET_MS = 2000;

export function shareButton(button: HTMLButtonElement, link: string): void {
  const idle = button.textContent ?? "Copy link";
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener("click", async () => {
    let copied = true;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard permission (or an insecure origin): show the link so it can be copied by hand.
      copied = false;
      window.prompt("Copy this link to invite people:", link);
    }
    if (!copied) return;
    button.textContent = "Link copied";
    clearTimeout(timer);
    timer = setTimeout(() => (button.textContent = idle), RESET_MS);
  });
}
