/**
 * @module
 * What a room handle has seen: messages in id order with every change applied, the people here,
 * and who is typing. Each list is a new array when it changes and the same one otherwise, so a UI
 * can compare by reference (React's `useSyncExternalStore` needs exactly that).
 */
import type { Member, MessageFrame, Sender } from "../../../src/wire/protocol";

/** How long someone counts as typing after their last `typing` frame (they send one every 2-3 s). */
const TYPING_FOR_MS = 5000;

export class MessageStore {
  private readonly byId = new Map<number, MessageFrame>();
  private sorted: MessageFrame[] = [];
  private dirty = false;

  constructor(private readonly keep: number) {}

  get list(): readonly MessageFrame[] {
    if (this.dirty) {
      this.sorted = [...this.byId.values()].sort((a, b) => a.id - b.id);
      this.dirty = false;
    }
    return this.sorted;
  }

  get(id: number): MessageFrame | undefined {
    return this.byId.get(id);
  }

  /** A message's current state; the nonce is the acknowledgement's business, not the message's. */
  put(message: MessageFrame): void {
    const { nonce: _, ...stored } = message;
    this.byId.set(message.id, stored);
    this.dirty = true;
    this.trim();
  }

  /** Older messages from a history page: the state already held is as new or newer. */
  putOlder(messages: readonly MessageFrame[]): boolean {
    const fresh = messages.filter((m) => !this.byId.has(m.id));
    for (const message of fresh) this.byId.set(message.id, message);
    this.dirty ||= fresh.length > 0;
    return fresh.length > 0;
  }

  clear(): void {
    this.byId.clear();
    this.dirty = true;
  }

  private trim(): void {
    if (this.byId.size <= this.keep) return;
    for (const message of this.list.slice(0, this.byId.size - this.keep)) this.byId.delete(message.id);
    this.dirty = true;
  }
}

/** People by uid, in arrival order; announcements are idempotent (docs/protocol.md, presence). */
export class MemberStore {
  private readonly byUid = new Map<string, Member>();
  private cached: Member[] = [];

  get list(): readonly Member[] {
    return this.cached;
  }

  reset(members: readonly Member[]): void {
    this.byUid.clear();
    for (const member of members) this.byUid.set(member.uid, member);
    this.cached = [...this.byUid.values()];
  }

  /** The members that are new. */
  join(members: readonly Member[]): Member[] {
    const fresh = members.filter((m) => !this.byUid.has(m.uid));
    for (const member of fresh) this.byUid.set(member.uid, member);
    if (fresh.length) this.cached = [...this.byUid.values()];
    return fresh;
  }

  /** The members that were here. */
  leave(members: readonly Member[]): Member[] {
    const gone = members.filter((m) => this.byUid.delete(m.uid));
    if (gone.length) this.cached = [...this.byUid.values()];
    return gone;
  }
}

/** Who is typing now; `changed` is called when someone stops counting as typing. */
export class TypingStore {
  private readonly until = new Map<string, { from: Sender; timer: ReturnType<typeof setTimeout> }>();
  private cached: Sender[] = [];

  constructor(private readonly changed: () => void) {}

  get list(): readonly Sender[] {
    return this.cached;
  }

  typing(from: Sender): void {
    const known = this.until.get(from.uid);
    if (known) clearTimeout(known.timer);
    const timer = setTimeout(() => this.stopped(from.uid), TYPING_FOR_MS);
    this.until.set(from.uid, { from, timer });
    if (!known) this.refresh();
  }

  /** Their message arrived, or they left. */
  stopped(uid: string): void {
    const known = this.until.get(uid);
    if (!known) return;
    clearTimeout(known.timer);
    this.until.delete(uid);
    this.refresh();
    this.changed();
  }

  clear(): void {
    for (const uid of [...this.until.keys()]) this.stopped(uid);
  }

  private refresh(): void {
    this.cached = [...this.until.values()].map((t) => t.from);
  }
}
