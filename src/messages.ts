/**
 * @module
 * Posting a message: retries and nonce conflicts, then the group commit. An accepted message is
 * not written at once: it waits (at most one flush window) with the others accepted meanwhile,
 * and all of them are written in one transaction at the flush, just before they are broadcast.
 * Nothing is visible or acknowledged before its write is durable, so a crash in between loses only
 * messages nobody has seen, which their senders re-send with the same nonce. The room's lock and
 * slow mode (moderation.ts) are checked at the commit too, so they hold exactly from their place
 * in the room's order.
 */
import type { Delivery, Outgoing } from "./delivery";
import type { History } from "./history";
import { checkReplyTo } from "./actions";
import { errorFrame, type ErrorFrame, type MessageFrame, type Parsed, type Refusal, type SendMessage, type Sender } from "./protocol";

/** A message between its acceptance and its commit; `stored` is set by the commit. */
export interface Post {
  from: Sender;
  text: string;
  nonce?: string;
  replyTo?: number;
  /** The connection that gets the acknowledgement: the latest one that sent this nonce. */
  ackTo?: string;
  stored?: MessageFrame;
  /** Set by the commit when the room held it back (a lock, slow mode); its sender was told. */
  refused?: Refusal;
}

/** Why the room may not store a new message by `from` at `now`, if so (moderation.ts). */
export type HoldBack = (from: Sender, now: number) => Refusal | undefined;

export class Messages {
  /** Accepted, not yet committed, by nonce: a retry in the window must not be stored twice. */
  private readonly waiting = new Map<string, Post>();

  constructor(
    private readonly history: History,
    private readonly delivery: Delivery,
    private readonly keep: number,
    private readonly holdBack: HoldBack,
  ) {}

  /**
   * Accepts a message for the next group commit, or answers a retry, or refuses a stolen nonce or
   * a reply to a message nobody can see any more.
   */
  post(from: Sender, { text, nonce, replyTo }: Omit<SendMessage, "type">, sender?: string): Parsed<Post> {
    if (nonce === undefined) return this.accept({ from, text, replyTo, ackTo: sender });
    const earlier = this.waiting.get(nonce) ?? this.storedPost(nonce);
    if (earlier && (earlier.text !== text || earlier.from.name !== from.name)) {
      // Not a retry but someone else's nonce (guessed or reused): acknowledging it would tell the
      // sender a message it never wrote was stored.
      return { ok: false, code: "nonce_conflict", message: "this nonce belongs to another message; use a fresh one", nonce };
    }
    if (!earlier) return this.accept({ from, text, nonce, replyTo, ackTo: sender });
    if (earlier.stored) {
      // A retry of a stored message: acknowledge again, to the sender only, and store nothing.
      if (sender) this.delivery.enqueue({ data: JSON.stringify({ ...earlier.stored, nonce }), to: sender });
    } else if (sender) {
      // Still waiting: the acknowledgement goes to whichever socket asked last (a reconnect).
      earlier.ackTo = sender;
    }
    return { ok: true, value: earlier };
  }

  private storedPost(nonce: string): Post | undefined {
    const stored = this.history.byNonce(nonce);
    return stored && { from: stored.from, text: stored.text, nonce, stored };
  }

  private accept(post: Post): Parsed<Post> {
    const unreachable = checkReplyTo(this.history, post.replyTo);
    if (unreachable) return post.nonce === undefined ? unreachable : { ...unreachable, nonce: post.nonce };
    return { ok: true, value: this.enqueue(post) };
  }

  private enqueue(post: Post): Post {
    if (post.nonce !== undefined) this.waiting.set(post.nonce, post);
    this.delivery.enqueue({
      bytes: post.text.length + 200,
      commit: () => this.commit(post),
      abort: () => this.abort(post),
    });
    return post;
  }

  private commit(post: Post): Outgoing[] {
    if (post.nonce !== undefined) this.waiting.delete(post.nonce);
    const { from, text, nonce, replyTo } = post;
    const now = Date.now();
    const refused = this.holdBack(from, now);
    if (refused) {
      post.refused = refused;
      return post.ackTo ? [{ data: JSON.stringify(errorFrame({ ...refused, nonce })), to: post.ackTo }] : [];
    }
    const message = this.history.append({ from, text, ts: now, nonce, replyTo }, this.keep);
    post.stored = message;
    const data = JSON.stringify(message);
    if (!post.ackTo || post.nonce === undefined) return [{ data, id: message.id }];
    return [{ data, id: message.id, own: { id: post.ackTo, data: JSON.stringify({ ...message, nonce: post.nonce }) } }];
  }

  private abort(post: Post): Outgoing[] {
    if (post.nonce !== undefined) this.waiting.delete(post.nonce);
    // The commit may have run before the transaction failed; its row was rolled back with it.
    delete post.stored;
    delete post.refused;
    const error: ErrorFrame = { type: "error", code: "internal_error", message: "the message could not be stored; send it again" };
    if (post.nonce !== undefined) error.nonce = post.nonce;
    return post.ackTo ? [{ data: JSON.stringify(error), to: post.ackTo }] : [];
  }
}
