/**
 * @module
 * Who is here and who is typing. Typing frames are hints with no "stopped" frame, so each one
 * shows its sender for a few seconds, and a message from them ends it at once. Each person keeps
 * their list item while they stay, and items are only added, removed or redrawn in place (by
 * `extras`: roles, a moderator's actions), so a menu open in the list, and the focus in it,
 * survive others coming and going.
 */
import type { Member, Sender } from "../wire/protocol";
import { avatar } from "./avatar";
import { el } from "./dom";
import { formatList, formatNumber, t } from "./i18n/index";

/** Senders repeat the frame every ~2 s while typing; a little more than that means they stopped. */
const TYPING_SHOWN_MS = 3500;

/** Draws what else a person's item shows besides their name (again whenever the room changes). */
export type PersonExtras = (member: Member, item: HTMLLIElement) => void;

export class PresenceView {
  private readonly members = new Map<string, Member>();
  /** Each listed member's item, by member id. */
  private readonly items = new Map<string, HTMLLIElement>();
  private readonly more = el("li", { className: "person more" });
  private readonly typers = new Map<string, { name: string; timer: ReturnType<typeof setTimeout> }>();
  /** The reader's uid: their entry is that of their first tab, whose member id is not this tab's. */
  private you: string | undefined;
  /** The whole room; in a crowd the server lists only a sample of it (docs/protocol.md). */
  private online = 0;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly countLabel: HTMLElement,
    private readonly typingLine: HTMLElement,
    private readonly extras: PersonExtras = () => {},
  ) {}

  /** A (re)connect's welcome: its member list replaces whatever we had. */
  reset(members: Member[], you: Member, online: number): void {
    this.you = you.uid;
    this.members.clear();
    this.items.clear();
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

  /** The display name of a listed person. */
  nameOf(uid: string): string | undefined {
    for (const member of this.members.values()) if (member.uid === uid) return member.name;
    return undefined;
  }

  /** The names of the people listed as here (a crowd's sample), for reading `@name` mentions. */
  names(): string[] {
    return [...this.members.values()].map((member) => member.name);
  }

  /** The room changed (roles, who the reader may act against): every item's extras again. */
  redraw(): void {
    for (const [id, item] of this.items) this.extras(this.members.get(id)!, item);
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
    for (const [id, item] of this.items) {
      if (this.members.has(id)) continue;
      // Someone leaving (or kicked from their menu) takes the focus out of the list otherwise.
      if (item.contains(document.activeElement)) this.list.focus();
      item.remove();
      this.items.delete(id);
    }
    const items = sorted.map((member) => this.itemOf(member));
    if (online > sorted.length) {
      this.more.textContent = t("room.more", { count: online - sorted.length });
      items.push(this.more);
    }
    arrange(this.list, items);
    this.countLabel.textContent = formatNumber(online);
  }

  private itemOf(member: Member): HTMLLIElement {
    let item = this.items.get(member.id);
    if (item) return item;
    item = el("li", { className: "person" }, avatar(member.name), el("span", { className: "name", text: member.name }));
    if (member.uid === this.you) item.append(el("span", { className: "you", text: t("room.you") }));
    this.extras(member, item);
    this.items.set(member.id, item);
    return item;
  }

  private renderTyping(): void {
    const names = [...this.typers.values()].map((t) => t.name);
    const count = names.length;
    this.typingLine.textContent = count === 0 ? "" : count <= 2 ? t("typing.names", { count, names: formatList(names) }) : t("typing.many", { count });
  }
}

/**
 * Puts `items` into `list` in order, moving only what is out of place: an item that stays in its
 * order is never taken out (which would take the focus with it).
 */
function arrange(list: HTMLElement, items: HTMLElement[]): void {
  items.forEach((item, index) => {
    const at = list.children[index] ?? null;
    if (at !== item) list.insertBefore(item, at);
  });
  while (list.children.length > items.length) list.lastElementChild!.remove();
}
