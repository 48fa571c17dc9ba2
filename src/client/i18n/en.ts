/**
 * @module
 * English: the source of every key. Other languages are typed by `Messages` below, so a missing
 * or extra key fails the type check. `{name}` marks a parameter; an object is a plural, with one
 * string per `Intl.PluralRules` category of the language and `{count}` choosing among them.
 */
import type { ErrorCode } from "../../protocol";

/** One string per plural category the language uses; `other` always. */
export type Plural = Readonly<Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>;

export const en = {
  "language.name": "English",
  "language.label": "Language",

  "landing.title": "Edge Chat: rooms you can share with a link",
  "landing.tagline": "Real-time rooms for small groups. No sign-up: pick a name, share the link.",
  "landing.create.heading": "Start a private room",
  "landing.create.hint": "The room gets a random, unguessable name. Only people you send the link to can find it.",
  "landing.create.button": "Create a new room",
  "landing.join.heading": "Join a room",
  "landing.join.label": "Room name or link",
  "landing.join.button": "Open",
  "landing.join.invalid": "Use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.",

  "notFound.title": "Not found · Edge Chat",
  "notFound.heading": "Not found",
  "notFound.text": "There is nothing at this address.",
  "notFound.link": "Open or create a room",

  "room.title": "{room} · Edge Chat",
  "room.titleUnread": "({count}) {title}",
  "room.home": "Edge Chat home",
  "room.online": "Online",
  "room.you": "you",
  "room.more": { one: "and {count} more", other: "and {count} more" },
  "room.gap": "Some earlier messages are no longer available.",
  "room.stats": { one: "{count} message in the last minute", other: "{count} messages in the last minute" },
  "room.copyLink": "Copy link",
  "room.linkCopied": "Link copied",
  "room.copyPrompt": "Copy this link to invite people:",

  "status.idle": "Not connected",
  "status.connecting": "Connecting…",
  "status.live": "Live",
  "status.reconnecting": "Reconnecting",
  "status.network": "Offline",
  "status.room_full": "Room is full",
  "status.retry": "Retry now",

  "log.label": "Messages",
  "log.newMessages": "New messages ↓",
  "log.newSinceYouLeft": "New since you left",
  "log.you": "(you)",
  "log.mentionsYou": "(mentions you)",
  "log.bot": "bot",
  "log.sending": "Sending…",
  "log.notSent": "Not sent: {reason}",

  "message.edited": "edited",
  "message.deleted": "Message deleted",

  "menu.label": "Actions for the message from {name}",
  "menu.reply": "Reply",
  "menu.react": "React",
  "menu.edit": "Edit",
  "menu.delete": "Delete",

  "reply.inReplyTo": "In reply to",
  "reply.unknown": "An earlier message",
  "reply.notLoaded": "The original message is not loaded on this page.",
  "reply.replyingTo": "Replying to {name}: {text}",
  "reply.cancel": "Cancel reply",

  "edit.label": "Edit message",
  "edit.hint": "Enter to save, Escape to cancel",
  "edit.save": "Save",
  "edit.saving": "Saving…",
  "edit.cancel": "Cancel",

  "delete.heading": "Delete this message?",
  "delete.text": "It will be removed for everyone. This cannot be undone.",
  "delete.confirm": "Delete",
  "delete.cancel": "Cancel",

  "reactions.label": "Reactions",
  "reactions.chip": { one: "{emoji}: {count} reaction", other: "{emoji}: {count} reactions" },
  "picker.label": "Add a reaction",
  "picker.other": "Other emoji",
  "picker.add": "Add",
  "picker.invalid": "Type or paste a single emoji.",

  "action.notChanged": "Not changed: {reason}.",
  "action.offline": "you are not connected",
  "action.unconfirmed": "the connection dropped before the room confirmed it; check the message",

  "typing.names": { one: "{names} is typing…", other: "{names} are typing…" },
  "typing.many": { one: "{count} person is typing…", other: "{count} people are typing…" },

  "composer.label": "Message",
  "composer.placeholder": "Message",
  "composer.send": "Send",
  "composer.left": { one: "{count} character left", other: "{count} characters left" },
  "composer.over": { one: "{count} character over the limit", other: "{count} characters over the limit" },
  "composer.notSent": "Not sent: {reason}.",

  "notify.label": "Notify me when someone mentions me",
  "notify.blocked": "Notifications are blocked in this browser's settings",
  "notify.title": "{name} mentioned you in {room}",

  "name.heading": "Join the room",
  "name.label": "Your name",
  "name.join": "Join",
  "name.invalid": "Please choose another name: {reason}.",
  "name.problem.length": "a name has 1 to {max} characters",
  "name.problem.characters": "it has control characters or broken Unicode",
  "name.problem.bidi": "it has bidirectional overrides",
  "name.problem.invisible": "it has no visible characters",
  "name.problem.bot": "it may not pose as a bot",

  "error.invalid_json": "the page sent something the room could not read",
  "error.invalid_frame": "the page sent something the room could not read",
  "error.unknown_type": "the room does not know this request",
  "error.invalid_text": "the message has control characters or broken Unicode",
  "error.empty_text": "the message is empty",
  "error.text_too_long": "the message is too long",
  "error.invalid_nonce": "the page sent a bad message id",
  "error.nonce_conflict": "another message already used this id",
  "error.invalid_name": "the name is not allowed",
  "error.binary_unsupported": "the room accepts only text",
  "error.rate_limited": "too many messages at once; wait a moment",
  "error.room_full": "the room is full",
  "error.internal_error": "something went wrong in the room",
  "error.forbidden": "you may not do that",
  "error.not_found": "that message is no longer there",
  "error.invalid_emoji": "that is not a single emoji",
  "error.too_many_reactions": "this message has as many different reactions as it can take",
  "error.slow_mode": "slow mode is on: wait a little before sending again",
  "error.locked": "the room is locked: only moderators can write",
  "error.banned": "you are banned from this room",
} as const satisfies Record<string, string | Plural> & Record<`error.${ErrorCode}`, string>;

export type Key = keyof typeof en;

/** Every language's table: the keys of `en`, each a string or a plural as its English one is. */
export type Messages = { readonly [K in Key]: (typeof en)[K] extends string ? string : Plural };
