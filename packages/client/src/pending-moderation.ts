/**
 * @module
 * Moderation requests this page sent (a claim, a kick, new settings...) that the room has not
 * answered yet. The answer is the sender's copy of the announcement, which carries the nonce, or a
 * refusal with it. Unlike a message action none is ever judged or sent again after a drop: the
 * nonce is echoed only on the socket that sent it, and the reader sees in the room's state and its
 * notices whether it took.
 */
import type { ModerationRequest } from "../../../src/wire/moderation-frames";
import type { ActionOutcome } from "./pending-actions";

type WithoutNonce<T> = T extends unknown ? Omit<T, "nonce"> : never;
/** A moderation request as the page asks for it; the connection gives it its nonce. */
export type ModerationAsk = WithoutNonce<ModerationRequest>;

export class PendingModeration {
  private readonly waiting = new Map<string, (outcome: ActionOutcome) => void>();

  /** Sends `frame` through `send` and resolves with the room's answer. */
  request(frame: ModerationRequest & { nonce: string }, send: (frame: ModerationRequest) => void): Promise<ActionOutcome> {
    const answer = new Promise<ActionOutcome>((settle) => this.waiting.set(frame.nonce, settle));
    send(frame);
    return answer;
  }

  /** An announcement or refusal carrying `nonce`: true when it answers one of ours. */
  settle(nonce: string, outcome: ActionOutcome): boolean {
    const settle = this.waiting.get(nonce);
    if (!settle) return false;
    this.waiting.delete(nonce);
    settle(outcome);
    return true;
  }

  /** The socket closed: whatever is unanswered will never be, on another socket. */
  dropped(): void {
    for (const nonce of [...this.waiting.keys()]) this.settle(nonce, { ok: false, code: "unconfirmed" });
  }
}
