/**
 * @module
 * The few frames both baselines (bench/baseline-do, bench/baseline-node.ts) speak: just enough of
 * the room's protocol (src/wire/protocol.ts) for the same load generator to drive them. No validation,
 * no storage, no limits: the baselines measure the transport, so the room's extra cost shows.
 */

/** How many recent messages a baseline keeps in memory for the welcome, like WELCOME_HISTORY. */
const WELCOME_HISTORY = 100;

/** One room of a baseline: message ids and the recent messages, encoded once. */
export class BaselineRoom {
  private latestId = 0;
  private readonly recent: string[] = [];

  welcome(name: string): string {
    const you = { id: crypto.randomUUID(), name, joinedAt: Date.now() };
    // The stored frames are already JSON: splice them in rather than parse them back.
    return `{"type":"welcome","you":${JSON.stringify(you)},"members":[],"history":[${this.recent.join(",")}],"latestId":${this.latestId},"gap":false,"limits":{}}`;
  }

  /**
   * Turns a client's `{"type":"message","text","nonce"}` into the frame for everyone and the
   * sender's acknowledgement (with its nonce); undefined for anything else.
   */
  message(raw: string): { all: string; own: string } | undefined {
    let frame: { type?: unknown; text?: unknown; nonce?: unknown };
    try {
      frame = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (frame.type !== "message" || typeof frame.text !== "string") return undefined;
    const message = { type: "message", id: ++this.latestId, from: { id: "x", name: "x" }, text: frame.text, ts: Date.now() };
    const all = JSON.stringify(message);
    this.recent.push(all);
    if (this.recent.length > WELCOME_HISTORY) this.recent.shift();
    const own = typeof frame.nonce === "string" ? JSON.stringify({ ...message, nonce: frame.nonce }) : all;
    return { all, own };
  }
}
