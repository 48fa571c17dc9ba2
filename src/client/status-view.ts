/**
 * @module
 * The connection state in the header. The live region announces each state once; the countdown
 * ("in 4s", "4秒后") ticks beside it, hidden from screen readers so they are not interrupted every second.
 */

import type { ConnectionState } from "../../packages/client/src/room-socket";
import { formatInSeconds, t } from "./i18n/index";

export class StatusView {
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly label: HTMLElement,
    private readonly detail: HTMLElement,
    private readonly retry: HTMLButtonElement,
  ) {}

  show(state: ConnectionState): void {
    clearInterval(this.ticker);
    this.detail.textContent = "";
    // A token refusal (4401, 4403) says "not connected"; why is the token notice's business (app-token.ts).
    const key = state.kind === "offline" ? state.reason : state.kind === "removed" ? state.how : state.kind === "refused" ? "idle" : state.kind;
    this.container.dataset.state = key;
    const label = t(`status.${key}`);
    if (this.label.textContent !== label) this.label.textContent = label;
    // Coming back after a removal is the removal notice's business (removal-view.ts); a refused
    // token would only be refused again, and a fresh one comes from the app.
    this.retry.hidden = state.kind === "live" || state.kind === "connecting" || state.kind === "removed" || state.kind === "refused";
    if (state.kind === "reconnecting") {
      const tick = () => {
        this.detail.textContent = ` ${formatInSeconds(Math.max(0, Math.ceil((state.at - Date.now()) / 1000)))}`;
      };
      tick();
      this.ticker = setInterval(tick, 250);
    }
  }
}
