/**
 * @module
 * The list of bans, for the owner and moderators, in a modal `<dialog>` over the settings panel:
 * who is banned, why and until when, each with an Unban button. It asks the room once when it
 * opens (a `bans` frame); from then on the room's `ban` and `unban` announcements keep it current
 * and a timed ban leaves it when it ends, with no polling. That is exact because the room reads
 * the list at its place in the room's order (docs/protocol.md, *The list of bans*). Reopened, or
 * live again after a drop, it asks afresh.
 */
import type { BansOutcome, Connection } from "../../packages/client/src/connection";
import type { BanEntry, ModerationFrame } from "../wire/moderation-frames";
import { banRow, entryOf } from "./ban-row";
import { byId } from "./dom";
import { t } from "./i18n/index";
import { wakeAt } from "./long-timer";
import { notChanged, problemText } from "./message-actions";
import type { KnownNames } from "./moderation-view";
import type { CurrentRoom } from "./room-state";

/** An answer lost on its way (a fan-out object's call failed) must not leave the list loading for ever. */
const ANSWER_MS = 10_000;

export interface BansDeps {
  room: CurrentRoom;
  connection: Pick<Connection, "bans" | "moderate">;
  names: KnownNames;
}

interface Shown {
  entry: BanEntry;
  row: HTMLLIElement;
  /** Cancels the timer that drops a timed ban when it ends. */
  cancel?: () => void;
}

export class BansView {
  private readonly dialog = byId("bans-dialog", HTMLDialogElement);
  private readonly heading = byId("bans-heading", HTMLHeadingElement);
  private readonly status = byId("bans-status", HTMLParagraphElement);
  private readonly list = byId("bans-list", HTMLUListElement);
  private readonly error = byId("bans-error", HTMLParagraphElement);
  private readonly retry = byId("bans-retry", HTMLButtonElement);
  private readonly close = byId("bans-close", HTMLButtonElement);
  private readonly shown = new Map<string, Shown>();
  /**
   * Announcements heard while the list is on its way, applied over it once it comes. Some are in
   * it already; each sets or removes one uid's ban, so applying them again changes nothing.
   */
  private heardMeanwhile: ModerationFrame[] | undefined;
  /** Bans in force past the list's limit when the room read it. */
  private unlisted = 0;
  /** Counts requests: an answer to an earlier one (closed, then reopened) is ignored. */
  private asked = 0;
  /** Where the focus was when it opened (the settings panel's button), and goes back to. */
  private opener: HTMLElement | undefined;

  constructor(private readonly deps: BansDeps) {
    this.close.addEventListener("click", () => this.dialog.close());
    this.retry.addEventListener("click", () => void this.load());
    // Escape closes it too (the browser's `cancel`); either way, it forgets everything.
    this.dialog.addEventListener("close", () => this.forget());
  }

  open(): void {
    this.opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    this.dialog.showModal();
    this.heading.focus();
    void this.load();
  }

  /** A `moderation` frame: a ban or unban changes the open list. */
  heard(frame: ModerationFrame): void {
    if (!this.dialog.open || (frame.action !== "ban" && frame.action !== "unban")) return;
    if (this.heardMeanwhile) this.heardMeanwhile.push(frame);
    else this.apply(frame);
  }

  /** The connection is live again: what changed while it was not is read afresh. */
  live(): void {
    if (this.dialog.open) void this.load();
  }

  /** The room's state changed: a reader who no longer moderates has no list to see. */
  roomChanged(): void {
    if (this.dialog.open && !this.deps.room.moderates) this.dialog.close();
  }

  private async load(): Promise<void> {
    const ask = ++this.asked;
    this.heardMeanwhile = [];
    this.retry.hidden = true;
    this.error.hidden = true;
    this.status.textContent = t("bans.loading");
    const outcome = await answered(this.deps.connection.bans());
    if (ask !== this.asked) return;
    const heard = this.heardMeanwhile;
    this.heardMeanwhile = undefined;
    if (outcome.ok) this.replace(outcome.bans, outcome.total);
    for (const frame of heard) this.apply(frame);
    if (outcome.ok) return this.count();
    this.status.textContent = t("bans.failed", { reason: outcome.code === "timeout" ? t("bans.noAnswer") : problemText(outcome.code) });
    this.retry.hidden = false;
  }

  /** The room's list in place of the shown one; a focused Unban keeps the focus if its ban is still there. */
  private replace(bans: BanEntry[], total: number): void {
    const focused = document.activeElement?.closest<HTMLElement>("li.ban")?.dataset.uid;
    for (const uid of [...this.shown.keys()]) this.drop(uid);
    for (const entry of bans) this.put(entry);
    this.unlisted = total - bans.length;
    if (focused !== undefined) this.shown.get(focused)?.row.querySelector("button")?.focus();
  }

  private apply(frame: ModerationFrame): void {
    const { uid } = frame;
    if (uid === undefined) return;
    if (frame.action === "ban") this.put(entryOf({ ...frame, uid }, this.deps.names));
    else this.drop(uid);
    this.count();
  }

  /** Shows `entry` at its place, newest first, in place of the uid's earlier ban. */
  private put(entry: BanEntry): void {
    const refocus = this.drop(entry.uid);
    const row = banRow(entry, this.deps.names, (button) => void this.unban(entry, button));
    const since = entry.since ?? -1;
    const next = [...this.list.children].find((other) => (this.shown.get((other as HTMLElement).dataset.uid ?? "")?.entry.since ?? -1) < since);
    this.list.insertBefore(row, next ?? null);
    const ended = (): void => {
      this.drop(entry.uid);
      this.count();
    };
    this.shown.set(entry.uid, { entry, row, ...(entry.until === null ? {} : { cancel: wakeAt(entry.until, ended) }) });
    if (refocus) row.querySelector("button")?.focus();
  }

  /**
   * Takes the uid's row away. Focus on it moves to the next row's Unban (or the one before, or
   * Close), so a keyboard lifting bans one after another never loses its place. True when it had it.
   */
  private drop(uid: string): boolean {
    const shown = this.shown.get(uid);
    if (!shown) return false;
    const focused = shown.row.contains(document.activeElement);
    const neighbour = (shown.row.nextElementSibling ?? shown.row.previousElementSibling)?.querySelector("button") ?? this.close;
    shown.cancel?.();
    shown.row.remove();
    this.shown.delete(uid);
    if (focused) neighbour.focus();
    return focused;
  }

  private async unban(entry: BanEntry, button: HTMLButtonElement): Promise<void> {
    // aria-disabled, not disabled: a disabled button would drop the keyboard's focus.
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    this.error.hidden = true;
    const outcome = await this.deps.connection.moderate({ type: "unban", uid: entry.uid });
    button.removeAttribute("aria-disabled");
    // not_found: it ended, or someone lifted it meanwhile. Either way it is gone.
    if (!outcome.ok && outcome.code !== "not_found") {
      this.error.textContent = notChanged(outcome.code);
      this.error.hidden = false;
      return;
    }
    this.drop(entry.uid);
    this.count(t("bans.lifted", { name: entry.name ?? t("bans.unknownName") }));
    // Older bans the list could not hold move up into it.
    if (this.unlisted > 0) void this.load();
  }

  /** The status line: how many are banned (after `lead`, what just happened). */
  private count(lead?: string): void {
    const listed = this.shown.size;
    this.list.hidden = listed === 0;
    const total = listed + this.unlisted;
    const count = total === 0 ? t("bans.none") : this.unlisted > 0 ? t("bans.partial", { shown: listed, total }) : t("bans.count", { count: total });
    this.status.textContent = lead === undefined ? count : `${lead} ${count}`;
  }

  private forget(): void {
    this.asked++;
    this.heardMeanwhile = undefined;
    for (const uid of [...this.shown.keys()]) this.drop(uid);
    this.unlisted = 0;
    this.opener?.focus();
    this.opener = undefined;
  }
}

type Answer = BansOutcome | { ok: false; code: "timeout" };

function answered(outcome: Promise<BansOutcome>): Promise<Answer> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Answer>((resolve) => (timer = setTimeout(() => resolve({ ok: false, code: "timeout" }), ANSWER_MS)));
  return Promise.race([outcome, timeout]).finally(() => clearTimeout(timer));
}
