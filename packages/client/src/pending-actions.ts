/**
 * @module
 * Edits, deletes and reactions this page sent that the room has not answered yet. The answer is
 * the acting connection's copy of the update (it carries the nonce) or a refusal with the nonce.
 * A drop leaves an action in doubt, and a reaction is a toggle, so none goes again blindly: once a
 * resume has caught up, the message's state tells whether the action took effect, and only one
 * that visibly did not is sent again (docs/protocol.md, *Client to server*).
 */
import type { ErrorCode, MessageAction, MessageFrame } from "../../../src/wire/protocol";
import { reacted, reactionOf } from "./reaction-state";

/** An action as the page asks for it; the connection gives it its nonce. */
export type ActionRequest = { type: "edit"; id: number; text: string } | { type: "delete"; id: number } | { type: "react"; id: number; emoji: string };

/**
 * Why an action did not happen: the room's refusal, `offline` (not sent: no live socket), or
 * `unconfirmed` (sent before a drop, and the message's state cannot tell whether it took).
 */
export type ActionProblem = ErrorCode | "offline" | "unconfirmed";
export type ActionOutcome = { ok: true } | { ok: false; code: ActionProblem };

/** Whether a message shows an action's effect; `undefined` when its state cannot tell. */
export type Effect = (message: MessageFrame) => boolean | undefined;

interface Pending {
  frame: MessageAction;
  took: Effect;
  settle: (outcome: ActionOutcome) => void;
  /** Sent on a socket that has since closed. */
  inDoubt: boolean;
}

export class PendingActions {
  private readonly pending = new Map<string, Pending>();
  /** After a resume: the place in the room's order its replay reaches. */
  private catchingUpTo: number | undefined;

  /** `send` puts a frame on the live socket; `state` is a message's latest known state. */
  constructor(
    private readonly send: (frame: MessageAction) => void,
    private readonly state: (id: number) => MessageFrame | undefined,
  ) {}

  /** Sends `frame` and resolves with the room's answer; `took` tells from a message whether it took effect. */
  act(frame: MessageAction & { nonce: string }, took: Effect): Promise<ActionOutcome> {
    const answer = new Promise<ActionOutcome>((settle) => this.pending.set(frame.nonce, { frame, took, settle, inDoubt: false }));
    this.send(frame);
    return answer;
  }

  /** The actor's copy of an update: true when it answers one of ours. */
  acknowledge(nonce: string): boolean {
    return this.settle(nonce, { ok: true });
  }

  /** A refusal: true when it answers one of ours. */
  refuse(nonce: string, code: ActionProblem): boolean {
    return this.settle(nonce, { ok: false, code });
  }

  /** The connection closed for good: nothing will answer. */
  abandon(): void {
    for (const nonce of [...this.pending.keys()]) this.refuse(nonce, "offline");
  }

  /** A new socket: whatever went out on the old one may or may not have been applied. */
  reconnecting(): void {
    for (const pending of this.pending.values()) pending.inDoubt = true;
  }

  /** A welcome: a resume replays up to `latestId`; a fresh start (`undefined`) replays nothing. */
  welcomed(latestId: number | undefined): void {
    this.catchingUpTo = latestId ?? -Infinity;
  }

  /**
   * The replay reached `place` (a live frame, which comes after it, passes `Infinity`). At its end
   * each action in doubt is settled by the state of its message, or sent again if visibly not applied.
   */
  reached(place: number | undefined): void {
    if (this.catchingUpTo === undefined || place === undefined || place < this.catchingUpTo) return;
    this.catchingUpTo = undefined;
    for (const [nonce, { frame, took, inDoubt }] of this.pending) {
      if (!inDoubt) continue;
      const message = this.state(frame.id);
      const done = message === undefined ? undefined : took(message);
      if (done === true) this.acknowledge(nonce);
      else if (done === undefined) this.refuse(nonce, "unconfirmed");
      else {
        this.pending.get(nonce)!.inDoubt = false;
        this.send(frame);
      }
    }
  }

  private settle(nonce: string, outcome: ActionOutcome): boolean {
    const pending = this.pending.get(nonce);
    if (!pending) return false;
    this.pending.delete(nonce);
    pending.settle(outcome);
    return true;
  }
}

/** How to tell that `request` by `uid` took effect, given the message as it was when sent. */
export function effectOf(request: ActionRequest, before: MessageFrame | undefined, uid: string): Effect {
  switch (request.type) {
    case "edit":
      return (message) => message.text === request.text;
    case "delete":
      return (message) => message.deleted === true;
    case "react": {
      // A toggle: the effect is the opposite of what the reader had.
      const on = before === undefined || reacted(reactionOf(before, request.emoji), uid) !== true;
      return (message) => {
        const now = reacted(reactionOf(message, request.emoji), uid);
        return now === undefined ? undefined : now === on;
      };
    }
  }
}
