/**
 * @module
 * How a write enters the room's order: the room-wide intake limit, kept by the sequencer for every
 * object the room spreads over, then the app's message hook (if any), then the group commit:
 * Messages.post for a message, actionWrite for an edit, delete or react, Moderation.write for a
 * moderator's action.
 */
import type { Delivery } from "../delivery/delivery";
import { actionWrite } from "../messages/actions";
import type { History } from "../messages/history";
import type { Messages, Post } from "../messages/messages";
import type { Moderation } from "../moderation/moderation";
import { TokenBucket } from "../sockets/token-bucket";
import type { Journal } from "../webhooks/events";
import type { MessageHook } from "../webhooks/hook";
import { refuse } from "../wire/checks";
import type { ModerationRequest, SendBans } from "../wire/moderation-frames";
import { isModerationRequest } from "../wire/parse-moderation";
import type { MessageAction, Parsed, Refusal, Sender, SendMessage } from "../wire/protocol";

/** What the intake hands its writes to, and how it answers a member. */
interface IntakeParts {
  history: History;
  messages: Messages;
  moderation: Moderation;
  delivery: Delivery;
  hook: MessageHook;
  journal: Journal;
  /** A refusal found after the frame was taken (the hook said no): to the member, in order. */
  tell: (memberId: string, refusal: Refusal) => void;
  /** A delete was queued: its files go once it is committed. */
  deleted: () => void;
}

export class Intake {
  private readonly bucket: TokenBucket;

  /** However many objects the room spreads over, it accepts at most `perSecond` messages and changes (burst `burst`), so it never overloads. */
  constructor(
    private readonly perSecond: number,
    burst: number,
    private readonly parts: IntakeParts,
  ) {
    this.bucket = new TokenBucket(perSecond, burst);
  }

  /** Takes a message into the room's order once the hook let it through; `then` hears the outcome. */
  accept(from: Sender, message: Omit<SendMessage, "type">, ackTo: string | undefined, then: (posted: Parsed<Post>) => void): void {
    const refused = this.refuse(message.nonce);
    if (refused) return then(refused);
    const { hook, messages } = this.parts;
    if (!hook.enabled) return then(messages.post(from, message, ackTo));
    const { text, replyTo, nonce } = message;
    hook.screen(from.id, { from, text, replyTo }, (verdict) =>
      then(verdict.ok ? messages.post(from, { ...message, text: verdict.text }, ackTo) : { ...verdict, ...(nonce === undefined ? {} : { nonce }) }),
    );
  }

  /**
   * Queues an edit, delete, react or moderation action (or a moderator's read of the bans) for the
   * next group commit. With a message hook an edit waits for its answer, and the sender's other
   * actions keep their place behind it.
   */
  act(from: Sender, action: MessageAction | ModerationRequest | SendBans): Refusal | { ok: true } {
    const refused = this.refuse(action.nonce);
    if (refused) return refused;
    const { delivery, moderation, hook, tell } = this.parts;
    if (isModerationRequest(action)) delivery.enqueue(moderation.write(action, { uid: from.uid, connection: from.id }));
    else if (!hook.enabled) this.write(from, action);
    else if (action.type !== "edit") hook.inTurn(from.id, () => this.write(from, action));
    else {
      hook.screen(from.id, { from, text: action.text, edit: action.id }, (verdict) =>
        verdict.ok
          ? this.write(from, { ...action, text: verdict.text })
          : tell(from.id, { ...verdict, ...(action.nonce === undefined ? {} : { nonce: action.nonce }) }),
      );
    }
    return { ok: true };
  }

  private write(from: Sender, change: MessageAction): void {
    const { delivery, history, moderation, journal, deleted } = this.parts;
    delivery.enqueue(actionWrite(history, moderation, change, from, journal));
    if (change.type === "delete") deleted();
  }

  /** Takes one from the room-wide limit, or says when to retry. */
  private refuse(nonce: string | undefined, now = Date.now()): Refusal | undefined {
    if (this.bucket.take(now)) return undefined;
    const retryAfter = this.bucket.retryAfter(now);
    const message = `the room takes at most ${this.perSecond} messages/s; retry in ${retryAfter} s`;
    return { ...refuse("rate_limited", message, nonce), retryAfter };
  }
}
