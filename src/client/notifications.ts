/**
 * @module
 * Desktop notifications for mentions that come while the tab is hidden. The bell is a toggle
 * (pressed: notifications on); the browser's permission is asked only when it is clicked, never on
 * load, where a prompt out of nowhere gets refused (and browsers start hiding such prompts).
 */
import { t } from "./i18n/index";
import { load, save } from "./storage";

/** "off" once the reader turned notifications off here; permission alone stays with the browser. */
const STORAGE_KEY = "edge-chat.notifications";

export class MentionNotifier {
  constructor(
    private readonly bell: HTMLButtonElement,
    private readonly room: string,
  ) {
    // Without the API (some mobile browsers) there is nothing to offer: the bell stays hidden.
    if (!("Notification" in window)) return;
    bell.hidden = false;
    this.render();
    bell.addEventListener("click", () => void this.toggle());
  }

  notify(from: string, text: string): void {
    if (!document.hidden || !this.on()) return;
    const notification = new Notification(t("notify.title", { name: from, room: this.room }), { body: text });
    notification.addEventListener("click", () => {
      window.focus();
      notification.close();
    });
  }

  private on(): boolean {
    return "Notification" in window && Notification.permission === "granted" && load(STORAGE_KEY) !== "off";
  }

  private async toggle(): Promise<void> {
    if (Notification.permission === "default") {
      if ((await Notification.requestPermission()) === "granted") save(STORAGE_KEY, undefined);
    } else if (Notification.permission === "granted") {
      save(STORAGE_KEY, this.on() ? "off" : undefined);
    }
    this.render();
  }

  private render(): void {
    // Blocked stays focusable (aria-disabled, not disabled) so a keyboard user can hear why.
    const blocked = Notification.permission === "denied";
    const label = t(blocked ? "notify.blocked" : "notify.label");
    this.bell.setAttribute("aria-disabled", String(blocked));
    this.bell.setAttribute("aria-pressed", String(this.on()));
    this.bell.setAttribute("aria-label", label);
    this.bell.title = label;
  }
}
