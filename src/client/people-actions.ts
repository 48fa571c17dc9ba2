/**
 * @module
 * What Online shows of the room's roles, and what the owner and moderators can do from it. Each
 * person's item gets a badge for the owner and moderators (everyone sees them) and, for a reader
 * who outranks the person, a menu: Kick and Ban (each asking first, with a reason; a ban with its
 * length, remove-dialog.ts) and, for the owner, Make moderator or Remove as moderator. Nobody gets
 * a menu on the owner, nor on themself; members get none.
 */

import type { Connection } from "../../packages/client/src/connection";
import type { ActionOutcome } from "../../packages/client/src/pending-actions";
import type { Member } from "../wire/protocol";
import { el } from "./dom";
import { t } from "./i18n/index";
import { notChanged } from "./message-actions";
import { type MenuItem, menuButton } from "./message-menu";
import type { PersonExtras } from "./presence-view";
import { askRemoval } from "./remove-dialog";
import type { CurrentRoom, Role } from "./room-state";

export interface PeopleActionsDeps {
  room: CurrentRoom;
  connection: Pick<Connection, "moderate">;
  /** Says a refusal, in the page's alert line. */
  showError(text: string): void;
}

/** The extras of each person's item in Online (presence-view.ts). */
export function peopleExtras(deps: PeopleActionsDeps): PersonExtras {
  return (member, item) => {
    drawRole(item, deps.room.roleOf(member.uid));
    const menu = item.querySelector(".person-actions");
    if (!deps.room.outranks(member.uid)) return menu?.remove();
    if (menu) return;
    const button = menuButton(t("people.menu", { name: member.name }), () => personMenu(deps, member));
    item.append(el("div", { className: "person-actions" }, button));
  };
}

function drawRole(item: HTMLLIElement, role: Role): void {
  let badge = item.querySelector(".role");
  if (role === "member") return badge?.remove();
  if (!badge) {
    badge = el("span", { className: "badge role" });
    item.querySelector(".name")!.after(badge);
  }
  badge.textContent = t(`role.${role}`);
}

function personMenu(deps: PeopleActionsDeps, member: Member): MenuItem[] {
  const items: MenuItem[] = [
    { label: t("people.kick"), danger: true, run: () => void remove(deps, member, "kick") },
    { label: t("people.ban"), danger: true, run: () => void remove(deps, member, "ban") },
  ];
  if (deps.room.role === "owner") {
    const type = deps.room.roleOf(member.uid) === "moderator" ? "demote" : "promote";
    items.push({ label: t(`people.${type}`), run: () => void deps.connection.moderate({ type, uid: member.uid }).then((outcome) => report(deps, outcome)) });
  }
  return items;
}

async function remove(deps: PeopleActionsDeps, member: Member, type: "kick" | "ban"): Promise<void> {
  const answer = await askRemoval(type, member.name);
  if (!answer) return;
  const { reason, seconds } = answer;
  const frame = type === "kick" ? { type, uid: member.uid } : { type, uid: member.uid, ...(seconds === undefined ? {} : { seconds }) };
  report(deps, await deps.connection.moderate(reason === undefined ? frame : { ...frame, reason }));
}

function report(deps: PeopleActionsDeps, outcome: ActionOutcome): void {
  if (!outcome.ok) deps.showError(notChanged(outcome.code));
}
