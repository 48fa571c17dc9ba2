/**
 * @module
 * Moderation requests this page sent (a claim, a kick, new settings, a look at the bans...) that
 * the room has not answered yet. The answer is the sender's copy of the announcement (or the list
 * of bans), which carries the nonce, or a refusal with it. Unlike a message action none is ever
 * judged or sent again after a drop: the nonce is echoed only on the socket that sent it, and the
 * reader sees in the room's state and its notices whether it took.
 */
import type { ModerationRequest } from "../../../src/wire/moderation-frames";
import type { ActionOutcome, ActionProblem } from "./pending-actions";

type WithoutNonce<T> = T extends unknown ? Omit<T, "nonce"> : never;
/** A moderation request as the page asks for it; the connection gives it its nonce. */
export type ModerationAsk = WithoutNonce<ModerationRequest>;

type Failure = Extract<ActionOutcome, { ok: false }>;

/** `Ok`: what a yes carries (an announcement carries nothing the page needs; a list of bans does). */
export class PendingModeration<Ok extends { ok: true } = { ok: true }> {
  private readonly waiting = new Map<string, (outcome: Ok | Failure) => void>();

  /** Sends `frame` through `send` and resolves with the room's answer. */
  request<F extends { nonce: string }>(frame: F, send: (frame: F) => void): Promise<Ok | Failure> {
    const answer = new Promise<Ok | Failure>((settle) => this.waiting.set(frame.nonce, settle));
    send(frame);
    return answer;
  }

  /** An answer or refusal carrying `nonce`: true when it answers one of ours. */
  settle(nonce: string, outcome: Ok | Failure): boolean {
    const settle = this.waiting.get(nonce);
    if (!settle) return false;
    this.waiting.delete(nonce);
    settle(outcome);
    return true;
  }

  /**
   * The socket closed: whatever is unanswered will never be, on another socket. An action may or
   * may not have taken (`unconfirmed`); a read simply got nothing (`offline`).
   */
  dropped(code: ActionProblem = "unconfirmed"): void {
    for (const nonce of [...this.waiting.keys()]) this.settle(nonce, { ok: false, code });
  }
}
