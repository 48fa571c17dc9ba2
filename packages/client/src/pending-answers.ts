/**
 * @module
 * Requests sent on the live socket that wait for the room's answer, matched by nonce: moderation
 * requests (pending-moderation.ts) and searches. The nonce is echoed only on the socket that sent
 * it, so a drop leaves every unanswered one without an answer for good; it settles as `lost`. One
 * that could not be sent at all (the socket went meanwhile, or the connection was stopped) settles
 * as `unsent`.
 */

export class PendingAnswers<Outcome> {
  private readonly waiting = new Map<string, (outcome: Outcome) => void>();

  constructor(
    private readonly lost: Outcome,
    private readonly unsent: Outcome,
  ) {}

  /** Sends `frame` through `send` (false: it could not) and resolves with the room's answer. */
  request<Frame extends { nonce: string }>(frame: Frame, send: (frame: Frame) => boolean): Promise<Outcome> {
    const answer = new Promise<Outcome>((settle) => this.waiting.set(frame.nonce, settle));
    if (!send(frame)) this.settle(frame.nonce, this.unsent);
    return answer;
  }

  /** An answer or refusal carrying `nonce`: true when it answers one of ours. */
  settle(nonce: string, outcome: Outcome): boolean {
    const settle = this.waiting.get(nonce);
    if (!settle) return false;
    this.waiting.delete(nonce);
    settle(outcome);
    return true;
  }

  /** The socket closed: whatever is unanswered will never be, on another socket. */
  dropped(): void {
    for (const nonce of [...this.waiting.keys()]) this.settle(nonce, this.lost);
  }
}
