/**
 * @module
 * Whose reactions a message shows. `uids` lists only a reaction's first reactors (docs/protocol.md),
 * so past them the answer can be "cannot tell".
 */
import type { MessageFrame, Reaction } from "../../../src/wire/protocol";

/** Both forms of a symbol (`❤` and `❤️`) are one reaction: the room stores the second. */
function sameEmoji(a: string, b: string): boolean {
  return a.replaceAll("\uFE0F", "") === b.replaceAll("\uFE0F", "");
}

export function reactionOf(message: MessageFrame, emoji: string): Reaction | undefined {
  return message.reactions?.find((r) => sameEmoji(r.emoji, emoji));
}

/** Whether `uid` reacted with `reaction`; `undefined` when the list of reactors is cut short without them. */
export function reacted(reaction: Reaction | undefined, uid: string): boolean | undefined {
  if (reaction === undefined) return false;
  if (reaction.uids.includes(uid)) return true;
  return reaction.count > reaction.uids.length ? undefined : false;
}
