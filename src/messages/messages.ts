/**
 * @module
 * Posting a message: the group commit, then retries and nonce conflicts. An accepted message is
 * not written at once: it waits (at most one flush window) with the others accepted meanwhile,
 * and all of them are written in one transaction at the flush, just before they are broadcast.
 * Nothing is visible or acknowledged before its write is durable, so a crash in between loses only
 * messages nobody has seen, which their senders re-send with the same nonce. The room's lock and
 * slow mode (moderation.ts) are checked at the commit too, so they hold exactly from their place
 * in the room's order.
 */
import type { Delivery } from "../delivery/delivery";
import { type Outgoing, toAsker, withOwnCopy } from "../delivery/outgoing";
import { type Journal, messageData, noJournal } from "../webhooks/events";
import { refuse } from "../wire/checks";
import type { FileRef, MessageFrame, Parsed, Refusal, Sender, SendMessage } from "../wire/protocol";
import { checkReplyTo } from "./actions";
import type { History } from "./history";

/** A message between its acceptance and its commit; `stored` is set by the commit. */
export interface Post {
  from: Sender;
  text: string;
  nonce?: string;
  replyTo?: number;
  /** Ids of the files it carries, checked at acceptance and again at the commit. */
  files?: string[];
  /** The connection that gets the acknowledgement: the latest one that sent this nonce. */
  ackTo?: string;
  stored?: MessageFrame;
  /**
   * Set by the commit when the room held it back (a lock, slow mode) or its nonce turned out to be
   * someone else's; its sender was told.
   */
  refused?: Refusal;
}

/** The same nonce from the same name with the same text: the client sending its message again. */
function isRetry(earlier: { from: Sender; text: string }, from: Sender, text: string): boolean {
  return earlier.text === text && earlier.from.name === from.name;
}

function conflict(nonce: string): Refusal {
  return { ok: false, code: "nonce_conflict", message: "this nonce belongs to another message; use a fresh one", nonce };
}

/** Why the room may not store a new message by `from` at `now`, if so (moderation.ts). */
export type HoldBack = (from: Sender, now: number) => Refusal | undefined;

/** The uploads messages may carry (src/files/). */
export interface Attachments {
  /** Why `uid` may not attach `ids` now (not their unattached uploads in this room), if so. */
  unattachable(ids: string[], uid: string): Refusal | undefined;
  attach(ids: string[], messageId: number): FileRef[];
}

const NO_FILES: Attachments = {
  unattachable: () => refuse("not_found", "this room takes no files"),
  attach: () => [],
};

export class Messages {
  /** Accepted, not yet committed, by nonce: a retry in the window must not be stored twice. */
  private readonly waiting = new Map<string, Post>();

  constructor(
    private readonly history: History,
    private readonly delivery: Delivery,
    private readonly keep: number,
    private readonly holdBack: HoldBack,
    private readonly journal: Journal = noJournal,
    private readonly attachments: Attachments = NO_FILES,
  ) {}

  /**
   * Accepts a message for the next group commit, or refuses a reply to a message nobody can see
   * any more. A retry of a message still waiting is not queued again. Whether a nonce was already
   * stored is settled at the commit, by the insert itself.
   */
  post(from: Sender, { text, nonce, replyTo, files }: Omit<SendMessage, "type">, sender?: string): Parsed<Post> {
    const waiting = nonce === undefined ? undefined : this.waiting.get(nonce);
    if (!waiting) return this.accept({ from, text, nonce, replyTo, files, ackTo: sender });
    if (!isRetry(waiting, from, text)) return conflict(nonce!);
    // The acknowledgement goes to whichever socket asked last (a reconnect).
    if (sender) waiting.ackTo = sender;
    return { ok: true, value: waiting };
  }

  private accept(post: Post): Parsed<Post> {
    const unreachable = checkReplyTo(this.history, post.replyTo) ?? this.unattachable(post);
    if (unreachable) return post.nonce === undefined ? unreachable : { ...unreachable, nonce: post.nonce };
    return { ok: true, value: this.enqueue(post) };
  }

  private enqueue(post: Post): Post {
    if (post.nonce !== undefined) this.waiting.set(post.nonce, post);
    this.delivery.enqueue({
      bytes: post.text.length + 200 + (post.files?.length ?? 0) * 300,
      commit: () => this.commit(post),
      abort: () => this.abort(post),
    });
    return post;
  }

  private commit(post: Post): Outgoing[] {
    if (post.nonce !== undefined) this.waiting.delete(post.nonce);
    const { from, text, nonce, replyTo } = post;
    const now = Date.now();
    // Another message of the same flush may have taken a file since its acceptance.
    const refused = this.holdBack(from, now) ?? this.unattachable(post);
    if (refused) {
      post.refused = refused;
      return toAsker(post.ackTo, refused, nonce);
    }
    const message = this.history.append({ from, text, ts: now, nonce, replyTo }, this.keep);
    if (!message) return this.answerStored(post, nonce!);
    if (post.files) message.files = this.attachments.attach(post.files, message.id);
    post.stored = message;
    this.journal("message.created", { message: messageData(message) });
    return [withOwnCopy(message, post.ackTo, nonce, message.id)];
  }

  /**
   * Why the message's files cannot be attached, if so. A retry of a stored message names files
   * that message already carries: it is answered like any retry (answerStored), not refused.
   */
  private unattachable(post: Post): Refusal | undefined {
    if (!post.files) return undefined;
    if (post.nonce !== undefined && this.history.byNonce(post.nonce)) return undefined;
    return this.attachments.unattachable(post.files, post.from.uid);
  }

  /**
   * The nonce was stored before: a retry is acknowledged again, to its sender only, and stores
   * nothing; someone else's nonce (guessed or reused) is refused, since acknowledging it would tell
   * the sender that a message it never wrote was stored.
   */
  private answerStored(post: Post, nonce: string): Outgoing[] {
    const prior = this.history.byNonce(nonce)!;
    if (isRetry(prior, post.from, post.text)) post.stored = prior;
    else post.refused = conflict(nonce);
    if (post.refused) return toAsker(post.ackTo, post.refused);
    return post.ackTo ? [{ data: JSON.stringify({ ...prior, nonce }), to: post.ackTo }] : [];
  }

  private abort(post: Post): Outgoing[] {
    if (post.nonce !== undefined) this.waiting.delete(post.nonce);
    // The commit may have run before the transaction failed; its row was rolled back with it.
    delete post.stored;
    delete post.refused;
    return toAsker(post.ackTo, refuse("internal_error", "the message could not be stored; send it again"), post.nonce);
  }
}
