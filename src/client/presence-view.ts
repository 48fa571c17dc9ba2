/**
 * @module
 * Who is here and who is typing. Typing frames are hints with no "stopped" frame, so each one
 * shows its sender for a few seconds, and a message from them ends it at once.
 */
import type { Member, Sender } from "../protocol";
import { avatar } from "./avatar";
import { el } from "./dom";
import { formatList, t } from "./i18n";

/** Senders repeat the frame every ~2 s while typing; a little more than that means they stopped. */
const TYPING_SHOWN_MS = 3500;

export class PresenceView {
  private readonly members = new Map<string, Member>();
  private readonly typers = new Map<string, { name: string; timer: ReturnType<typeof setTimeout> }>();
  private you: string | undefined;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly count: HTMLElement,
    private readonly typingLine: HTMLElement,
  ) {}

  /** A (re)connect's welcome: the full member list replaces whatever we had. */
  reset(members: Member[], you: Member): void {
    this.you = you.id;
    this.members.clear();
    for (const member of members) this.members.set(member.id, member);
    this.renderMembers();
  }

  /** Idempotent by id: a batched announcement may name members already listed. */
  join(members: Member[]): void {
    for (const member of members) this.members.set(member.id, member);
    this.renderMembers();
  }

  leave(members: Member[]): void {
    for (const member of members) {
      this.members.delete(member.id);
      this.stopTyping(member.id);
    }
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
      if (a.id === this.you || b.id === this.you) return a.id === this.you ? -1 : 1;
      return a.name.localeCompare(b.name) || a.joinedAt - b.joinedAt;
    });
    this.list.replaceChildren(
      ...sorted.map((member) => {
        const item = el("li", { className: "person" }, avatar(member.name), el("span", { className: "name", text: member.name }));
        if (member.id === this.you) item.append(el("span", { className: "you", text: t("room.you") }));
        return item;
      }),
    );
    this.count.textContent = String(sorted.length);
  }

  private renderTyping(): void {
    const names = [...this.typers.values()].map((t) => t.name);
    const count = names.length;
    this.typingLine.textContent =
      count === 0 ? "" : count <= 2 ? t("typing.names", { count, names: formatList(names) }) : t("typing.many", { count });
  }
}
