/**
 * @module
 * The room as the reader's page knows it now: who owns and moderates it, its settings, and what
 * that lets the reader do. The ranks are the room's (docs/protocol.md, *Moderation*): the owner,
 * then moderators, then members; one may act only against those below. The room decides; these
 * rules only keep the page from offering what it would refuse.
 */
import type { RoomState } from "../wire/moderation-frames";

export type Role = "owner" | "moderator" | "member";

const RANK: Record<Role, number> = { member: 0, moderator: 1, owner: 2 };

export class CurrentRoom {
  private current: RoomState = { owner: null, moderators: [], topic: "", slowSeconds: 0, locked: false };
  /** The reader's uid, from the welcome. */
  private viewer: string | undefined;

  get state(): RoomState {
    return this.current;
  }

  /** A welcome (who the reader is, and the room) or a `room` frame (the room only). */
  set(state: RoomState, viewer = this.viewer): void {
    this.current = state;
    this.viewer = viewer;
  }

  roleOf(uid: string | undefined): Role {
    if (uid === undefined) return "member";
    return uid === this.current.owner ? "owner" : this.current.moderators.includes(uid) ? "moderator" : "member";
  }

  get role(): Role {
    return this.roleOf(this.viewer);
  }

  /** The reader may delete others' messages, kick, ban and change the settings. */
  get moderates(): boolean {
    return this.role !== "member";
  }

  /** The reader may act against `uid`: they moderate, and `uid` is someone else of a lower rank. */
  outranks(uid: string): boolean {
    return this.moderates && uid !== this.viewer && RANK[this.role] > RANK[this.roleOf(uid)];
  }

  /** The room lets the reader post now (slow mode aside). */
  get mayPost(): boolean {
    return !this.current.locked || this.moderates;
  }

  /** Seconds the reader must wait between messages: slow mode, unless they moderate. */
  get slowSeconds(): number {
    return this.moderates ? 0 : this.current.slowSeconds;
  }
}
