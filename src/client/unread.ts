/**
 * @module
 * Messages that came while the tab was hidden: counted in the title, `(3) lobby · Edge Chat`, and
 * marked with a "new since you left" divider when the reader comes back.
 */
import { t } from "./i18n/index";

export class Unread {
  private count = 0;
  private first: HTMLLIElement | undefined;
  private counting = false;

  constructor(
    private readonly title: string,
    private readonly showDivider: (first: HTMLLIElement) => void,
  ) {
    document.title = title;
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.returned();
    });
  }

  /** From the first welcome on: the history shown on joining is not news, even in a background tab. */
  start(): void {
    this.counting = true;
  }

  /** A message from someone else, shown as `item`. */
  arrived(item: HTMLLIElement): void {
    if (!this.counting || !document.hidden) return;
    this.first ??= item;
    this.count++;
    document.title = t("room.titleUnread", { count: this.count, title: this.title });
  }

  private returned(): void {
    if (this.first) this.showDivider(this.first);
    this.first = undefined;
    this.count = 0;
    document.title = this.title;
  }
}
