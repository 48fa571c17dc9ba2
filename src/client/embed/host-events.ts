/**
 * @module
 * What the frame tells its host about the room (docs/protocol.md, *Embedding*): each new message,
 * the unread count, and why the room refused or removed the person. Unread counts others'
 * messages that arrive while the frame lacks focus (the host's launcher is closed, or the reader
 * is on the host's page), from the first welcome on: the history shown on joining is not news.
 */
import type { ConnectionEvent } from "../../../packages/client/src/connection";
import type { FrameMessage } from "../../wire/embed-messages";

export class HostEvents {
  private unread = 0;
  private live = false;

  constructor(private readonly post: (message: FrameMessage) => void) {
    window.addEventListener("focus", () => this.count(0));
  }

  see(event: ConnectionEvent): void {
    switch (event.type) {
      case "state":
        if (event.state.kind === "live") this.live = true;
        return this.stateError(event);
      case "message":
        if (!this.live) return;
        this.post({ type: "message", id: event.message.id, from: event.message.from, text: event.message.text, own: event.own });
        if (!event.own && !document.hasFocus()) this.count(this.unread + 1);
        return;
      case "ack":
        if (!event.shown) this.post({ type: "message", id: event.message.id, from: event.message.from, text: event.message.text, own: true });
        return;
      case "failed":
        return this.post({ type: "error", code: event.code });
      case "notice":
        return this.post({ type: "error", code: event.error.code });
    }
  }

  private stateError({ state }: Extract<ConnectionEvent, { type: "state" }>): void {
    if (state.kind === "refused") this.post({ type: "error", code: state.code });
    else if (state.kind === "removed") this.post({ type: "error", code: state.how });
    else if (state.kind === "offline" && state.reason === "room_full") this.post({ type: "error", code: "room_full" });
  }

  private count(unread: number): void {
    if (unread === this.unread) return;
    this.unread = unread;
    this.post({ type: "unread", count: unread });
  }
}
