/**
 * @module
 * What the page knows of the room's one order (docs/protocol.md, *Order*): the cursor a resume
 * sends as `since`, and the latest state of each message, so that a repeat is dropped and an
 * older state never replaces a newer one.
 */
import type { MessageFrame, UpdateFrame } from "../../../src/wire/protocol";

interface Known {
  message: MessageFrame;
  /** The place in the order of the state we have: the message's id, or its latest update's seq. */
  at: number;
}

export class Timeline {
  private place: number | undefined;
  private readonly messages = new Map<number, Known>();

  /** The greatest place seen, message id or update seq; `undefined` before the first welcome. */
  get cursor(): number | undefined {
    return this.place;
  }

  /** A welcome naming the room's `latestId`; true when it resumes from the cursor. */
  welcome(latestId: number): boolean {
    // Places restart when an idle room is cleared: the old ones mean nothing any more.
    if (this.place !== undefined && this.place > latestId) this.messages.clear();
    const resumed = this.place !== undefined && this.place <= latestId;
    if (!resumed) this.place = latestId;
    return resumed;
  }

  /** Records a message; false when it was already known (a resume may repeat one). */
  message(message: MessageFrame): boolean {
    this.advance(message.id);
    if (this.messages.has(message.id)) return false;
    this.messages.set(message.id, { message, at: message.id });
    return true;
  }

  /** Records a change; false when the state we have is as new or newer. */
  update({ seq, message }: UpdateFrame): boolean {
    this.advance(seq);
    const known = this.messages.get(message.id);
    if (known !== undefined && known.at >= seq) return false;
    this.messages.set(message.id, { message, at: seq });
    return true;
  }

  /** Records a room-wide frame's place (a moderation action, a room state); false when already passed. */
  event(seq: number): boolean {
    if (this.place !== undefined && seq <= this.place) return false;
    this.advance(seq);
    return true;
  }

  /** A message's latest known state. */
  get(id: number): MessageFrame | undefined {
    return this.messages.get(id)?.message;
  }

  private advance(place: number): void {
    this.place = Math.max(this.place ?? 0, place);
  }
}
