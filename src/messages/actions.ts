/**
 * @module
 * The rules for changing stored messages: who may edit, delete and react, and what a reply may
 * point at. Each action is one synchronous step over the room's SQLite: it checks, stores, and
 * returns the update to broadcast or the refusal to answer. Nothing here touches a socket. What
 * the room's moderation says (a lock, a moderator's delete) comes from an `Oversight`.
 */
import { type Outgoing, type PendingWrite, toAsker, withOwnCopy } from "../delivery/outgoing";
import { type Journal, messageData, noJournal } from "../webhooks/events";
import { refuse } from "../wire/checks";
import { MAX_REACTION_EMOJI, type MessageAction, type MessageFrame, type Parsed, type Refusal, type Sender, type UpdateFrame } from "../wire/protocol";
import type { History } from "./history";

/** A retained message that is not deleted: the only kind anyone may change or reply to. */
function live(history: History, id: number): Parsed<MessageFrame> {
  const message = history.message(id);
  if (!message) return { ok: false, code: "not_found", message: `message ${id} is not in this room's history` };
  if (message.deleted) return { ok: false, code: "not_found", message: `message ${id} was deleted` };
  return { ok: true, value: message };
}

/** What moderation (moderation.ts) decides about a change, at the moment it is applied. */
export interface Oversight {
  /** Why `uid` may not edit or react now (a locked room), if so. */
  holdsBack(uid: string): Refusal | undefined;
  /** Whether `uid` may delete messages by `author`: moderators may, below their own rank. */
  outranks(uid: string, author: string): boolean;
  /** Records a delete of someone else's message and returns its announcement. */
  removed(message: MessageFrame, by: string): Outgoing;
}

/** A message `actor` may change: their own, or for a delete one by someone they outrank. */
function own(history: History, id: number, actor: string, verb: string, oversight?: Oversight): Parsed<MessageFrame> {
  const target = live(history, id);
  if (!target.ok) return target;
  const author = target.value.from.uid;
  if (author === actor || oversight?.outranks(actor, author)) return target;
  const who = oversight ? "its author or a moderator above them" : "its author";
  return { ok: false, code: "forbidden", message: `only ${who} may ${verb} message ${id}` };
}

function react(history: History, id: number, emoji: string, actor: string): Parsed<UpdateFrame> {
  const target = live(history, id);
  if (!target.ok) return target;
  // Only a new emoji adds one; taking a reaction back, or joining one, is always possible.
  const reactions = target.value.reactions ?? [];
  if (reactions.length >= MAX_REACTION_EMOJI && !reactions.some((r) => r.emoji === emoji)) {
    return { ok: false, code: "too_many_reactions", message: `message ${id} already has ${MAX_REACTION_EMOJI} different emoji` };
  }
  return { ok: true, value: history.toggleReaction(id, emoji, actor) };
}

/**
 * Applies a validated action by the person `actor` (a uid) and returns the update every member
 * gets, or why it was refused (nothing stored then).
 */
export function applyAction(history: History, oversight: Oversight, action: MessageAction, actor: string, now: number): Parsed<UpdateFrame> {
  if (action.type === "delete") {
    const target = own(history, action.id, actor, "delete", oversight);
    return target.ok ? { ok: true, value: history.tombstone(action.id) } : target;
  }
  const held = oversight.holdsBack(actor);
  if (held) return held;
  if (action.type === "react") return react(history, action.id, action.emoji, actor);
  const target = own(history, action.id, actor, "edit");
  return target.ok ? { ok: true, value: history.edit(action.id, action.text, now) } : target;
}

/** An update for everyone; the actor's connection gets its copy with the nonce. */
export function updateEntry(update: UpdateFrame, actor: string | undefined, nonce: string | undefined): Outgoing {
  return withOwnCopy(update, actor, nonce, update.seq);
}

/** A reply must point at a message a reader can still see: retained and not deleted. */
export function checkReplyTo(history: History, replyTo: number | undefined): Refusal | undefined {
  if (replyTo === undefined) return undefined;
  const target = live(history, replyTo);
  return target.ok ? undefined : target;
}

/**
 * An action as a write for the next group commit (delivery.ts): it is checked and applied inside
 * the flush's transaction, in order with the messages around it, so its update's place in the
 * order and its broadcast agree. The actor's copy carries its nonce; a refusal goes to it alone.
 */
export function actionWrite(history: History, oversight: Oversight, action: MessageAction, actor: Sender, journal: Journal = noJournal): PendingWrite {
  const { nonce } = action;
  return {
    bytes: 300 + (action.type === "edit" ? action.text.length : 0),
    commit(): Outgoing[] {
      const before = action.type === "react" ? reactionCount(history.message(action.id), action.emoji) : 0;
      const changed = applyAction(history, oversight, action, actor.uid, Date.now());
      if (!changed.ok) return toAsker(actor.id, changed, nonce);
      const update = changed.value;
      journalChange(journal, action, update, actor.uid, before);
      const entry = updateEntry(update, actor.id, nonce);
      // Only a delete of someone else's message is moderation; a reaction to it is not.
      const moderated = action.type === "delete" && update.message.from.uid !== actor.uid;
      return moderated ? [entry, oversight.removed(update.message, actor.uid)] : [entry];
    },
    abort: () => toAsker(actor.id, refuse("internal_error", "the change could not be stored; try again"), nonce),
  };
}

function reactionCount(message: MessageFrame | undefined, emoji: string): number {
  return message?.reactions?.find((reaction) => reaction.emoji === emoji)?.count ?? 0;
}

/** The webhook event for an applied action; a reaction's count tells whether it was added or taken back. */
function journalChange(journal: Journal, action: MessageAction, update: UpdateFrame, by: string, countBefore: number): void {
  const { message } = update;
  if (action.type === "react") {
    const added = reactionCount(message, action.emoji) > countBefore;
    journal(added ? "reaction.added" : "reaction.removed", { id: message.id, emoji: action.emoji, uid: by, reactions: message.reactions ?? [] });
  } else {
    journal(action.type === "edit" ? "message.edited" : "message.deleted", { message: messageData(message), by });
  }
}
