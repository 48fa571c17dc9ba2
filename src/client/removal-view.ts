/**
 * @module
 * The notice a removed reader sees where the composer was: who removed them and why; after a kick
 * a Rejoin button (the page reconnects only when it is clicked); after a ban, when it ends (as a
 * date and as "in 1 hour"), and a Rejoin button only once it has. It shows on every load while
 * the ban lasts, since the room refuses the banned at the door in the same way.
 */

import type { Removal } from "../../packages/client/src/removal";
import type { ConnectionState } from "../../packages/client/src/room-socket";
import { byId } from "./dom";
import { formatDateTime, formatFromNow, t } from "./i18n/index";
import { wakeAt } from "./long-timer";
import { actorName, type KnownNames } from "./moderation-view";

export class RemovalView {
  private readonly box = byId("removal", HTMLDivElement);
  private readonly text = byId("removal-text", HTMLParagraphElement);
  private readonly rejoin = byId("rejoin", HTMLButtonElement);
  /** Cancels the wait for the ban's end. */
  private cancelWait = (): void => {};

  constructor(
    private readonly names: KnownNames,
    rejoin: () => void,
  ) {
    this.rejoin.addEventListener("click", rejoin);
  }

  show(state: ConnectionState): void {
    this.cancelWait();
    if (state.kind !== "removed") {
      this.box.hidden = true;
      return;
    }
    const left = state.until === undefined ? undefined : state.until - Date.now();
    const over = left !== undefined && left <= 0;
    this.text.textContent = over ? t("removal.ended") : this.story(state);
    this.rejoin.hidden = state.how === "banned" && !over;
    this.box.hidden = false;
    if (state.until !== undefined && !over) this.cancelWait = wakeAt(state.until, () => this.show(state));
    if (!this.rejoin.hidden && document.activeElement === document.body) this.rejoin.focus();
  }

  private story({ how, by, reason, until }: Removal): string {
    const who = by === undefined ? undefined : actorName(by, this.names);
    const sentences = [who === undefined ? t(`removal.${how}`) : t(`removal.${how}By`, { name: who })];
    if (how === "kicked") sentences.push(t("removal.mayRejoin"));
    else if (until === undefined) sentences.push(t("removal.forever"));
    else sentences.push(t("removal.until", { when: formatDateTime(new Date(until)), relative: formatFromNow(until) }));
    // Last: the moderator's words end the notice however they end.
    if (reason !== undefined) sentences.push(t("removal.reason", { reason }));
    return sentences.join(" ");
  }
}
