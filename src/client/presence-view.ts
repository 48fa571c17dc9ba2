/**
 * @module
 * Who is here and who is typing. Typing frames are hints with no "stopped" frame, so each one
 * shows its sender for a few seconds, and a message from them ends it at once.
 */
import type { Member, Sender } from "../protocol";
import { avatar } from "./avatar";
import { el } from "./dom";
import { formatList, formatNumber, t } from "./i18n";

/** Senders repeat the frame every ~2 s while typing; a little more than that means they stopped. */
const TYPING_SHOWN_MS = 3500;

export class PresenceView {
  private readonly members = new Map<string, Member>();
  private readonly typers = new Map<string, { name: string; timer: ReturnType<typeof setTimeout> }>();
  /** The reader's uid: their entry is that of their first tab, whose member id is not this tab's. */
  private you: string | undefined;
  /** The whole room; in a crowd the server lists only a sample of it (docs/protocol.md). */
  private online = 0;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly countLabel: HTMLElement,
    private readonly typingLine: HTMLElement,
  ) {}

  /** A (re)connect's welcome: its member list replaces whatever we had. */
  reset(members: Member[], you: Member, online: number): void {
    this.you = you.uid;
    this.members.clear();
    for (const member of members) this.members.set(member.id, member);
    this.online = online;
    this.renderMembers();
  }

  /** Idempotent by id: a batched announcement may name members already listed. */
  join(members: Member[]): void {
    for (const member of members) {
      if (!this.members.has(member.id)) this.online += 1;
      this.members.set(member.id, member);
    }
    this.renderMembers();
  }

  leave(members: Member[]): void {
    for (const member of members) {
      if (this.members.delete(member.id)) this.online -= 1;
      this.stopTyping(member.id);
    }
    this.renderMembers();
  }

  /** The room's exact count, from a crowd's presence summary or the periodic stats. */
  count(online: number): void {
    this.online = online;
    this.renderMembers();
  }

  typing(from: Sender): void {
    clearTimeout(this.typers.get(from.id)?.timer);
    const timer = setTimeout(() => this.stopTyping(from.id), TYPING_SHOWN_MS);
    this.typers.set(from.id, { name: from.name, timer });
    this.renderTyping();
  }

  stopTyping(id: string): void {
    const typer = this.typers.get(id);
    if (!typer) return;
    clearTimeout(typer.timer);
    this.typers.delete(id);
    this.renderTyping();
  }

  private renderMembers(): void {
    const sorted = [...this.members.values()].sort((a, b) => {
      if (a.uid === this.you || b.uid === this.you) return a.uid === this.you ? -1 : 1;
      return a.name.localeCompare(b.name) || a.joinedAt - b.joinedAt;
    });
    const online = Math.max(this.online, sorted.length);
    const items = sorted.map((member) => {
      const item = el("li", { className: "person" }, avatar(member.name), el("span", { className: "name", text: member.name }));
      if (member.uid === this.you) item.append(el("span", { className: "you", text: t("room.you") }));
      return item;
    });
    if (online > sorted.length) items.push(el("li", { className: "person more", text: t("room.more", { count: online - sorted.length }) }));
    this.list.replaceChildren(...items);
    this.countLabel.textContent = formatNumber(online);
  }

  private renderTyping(): void {
    const names = [...this.typers.values()].map((t) => t.name);
    const count = names.length;
    this.typingLine.textContent =
      count === 0 ? "" : count <= 2 ? t("typing.names", { count, names: formatList(names) }) : t("typing.many", { count });
  }
}
