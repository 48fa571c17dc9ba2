/**
 * @module
 * The frame's side of the postMessage API (docs/protocol.md, *Embedding*). It speaks only to the
 * window that framed it, at the origin embed.js named in the frame's address: the server lets
 * only `EMBED_ORIGINS` frame it at all, and the browser drops a message whose target origin is not
 * the parent's, so a wrong `host` reaches nobody. It hears only that window at that origin.
 */
import { envelope, type FrameMessage, type HostMessage, parseHostMessage } from "../../wire/embed-messages";

export class HostLink {
  private constructor(
    private readonly origin: string,
    private readonly parent: Window,
  ) {}

  /** The link to the host named by `host`, or `undefined` outside a frame or without a usable origin. */
  static open(host: string | null, onMessage: (message: HostMessage) => void): HostLink | undefined {
    if (host === null || window.parent === window) return undefined;
    let origin: string;
    try {
      origin = new URL(host).origin;
    } catch {
      return undefined;
    }
    if (origin === "null") return undefined;
    const link = new HostLink(origin, window.parent);
    window.addEventListener("message", (event) => {
      if (event.origin !== link.origin || event.source !== link.parent) return;
      const message = parseHostMessage(event.data);
      if (message) onMessage(message);
    });
    return link;
  }

  post(message: FrameMessage): void {
    this.parent.postMessage(envelope(message), this.origin);
  }
}
