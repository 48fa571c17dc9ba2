/**
 * @module
 * What a room tells the app's backend, and in which shape (docs/protocol.md, "Webhooks"). Events
 * are recorded by whoever makes the change, inside the group commit, through a `Journal`.
 */

export const EVENT_TYPES = [
  "message.created",
  "message.edited",
  "message.deleted",
  "reaction.added",
  "reaction.removed",
  "member.joined",
  "member.left",
  "moderation",
  "room.updated",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Records an event in the room's outbox. Call it only inside the group commit's transaction: the
 * event is then stored if and only if the change is.
 */
export type Journal = (type: EventType, data: object) => void;

/** Records nothing: a room without webhooks, or a caller that never changes anything. */
export const noJournal: Journal = () => {};

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

interface MessageLike {
  id: number;
  text: string;
  deleted?: true;
  nonce?: string;
  reactions?: unknown;
}

/**
 * A message as an event carries it: its current state without the sender's nonce; a deleted
 * message keeps only who wrote it when, never its text.
 */
export function messageData(message: MessageLike): object {
  const { nonce: _nonce, type: _type, ...rest } = message as MessageLike & { type?: string };
  if (!message.deleted) return rest;
  const { text: _text, reactions: _reactions, ...kept } = rest;
  return kept;
}
