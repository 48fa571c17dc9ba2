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
import { PendingAnswers } from "./pending-answers";

type WithoutNonce<T> = T extends unknown ? Omit<T, "nonce"> : never;
/** A moderation request as the page asks for it; the connection gives it its nonce. */
export type ModerationAsk = WithoutNonce<ModerationRequest>;

export class PendingModeration extends PendingAnswers<ActionOutcome> {
  constructor() {
    super({ ok: false, code: "unconfirmed" }, { ok: false, code: "offline" });
  }
}
