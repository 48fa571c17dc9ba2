/**
 * @module
 * One ban as the list of bans shows it (bans-view.ts): who (their name when banned and a short
 * uid), why, until when, who banned them and when, and its Unban button. Built from elements and
 * text only: a name or a reason is never markup.
 */
import type { BanEntry, ModerationFrame } from "../wire/moderation-frames";
import { el } from "./dom";
import { formatDateTime, t } from "./i18n/index";
import { actorName, type KnownNames } from "./moderation-view";

/** The uid's start: enough to tell two people of one name apart, short enough to read. */
const SHORT_UID = 8;

/** The `ban` announcement as an entry of the list (docs/protocol.md, *The list of bans*). */
export function entryOf(frame: ModerationFrame & { uid: string }, names: KnownNames): BanEntry {
  const entry: BanEntry = { uid: frame.uid, name: frame.name ?? names.person(frame.uid) ?? null, until: frame.until ?? null, since: frame.ts, by: frame.by };
  if (frame.reason !== undefined) entry.reason = frame.reason;
  if (frame.address) entry.address = true;
  return entry;
}

/** The list item of `entry`; `unban` runs when its button is pressed. */
export function banRow(entry: BanEntry, names: KnownNames, unban: (button: HTMLButtonElement) => void): HTMLLIElement {
  const name = entry.name ?? t("bans.unknownName");
  const uid = el("span", { className: "ban-uid", text: `${entry.uid.slice(0, SHORT_UID)}…`, attrs: { title: entry.uid } });
  const button = el("button", { className: "ban-unban", text: t("bans.unban"), attrs: { type: "button", "aria-label": t("bans.unbanName", { name }) } });
  button.addEventListener("click", () => unban(button));
  const lines = [
    el(
      "p",
      { className: "ban-who" },
      el("span", { className: entry.name === null ? "ban-name unknown" : "ban-name", text: name }),
      document.createTextNode(" "),
      uid,
    ),
    el("p", { text: entry.reason === undefined ? t("bans.noReason") : t("bans.reason", { reason: entry.reason }) }),
    el("p", { text: entry.until === null ? t("bans.forever") : t("bans.until", { when: formatDateTime(new Date(entry.until)) }) }),
  ];
  const by = byLine(entry, names);
  if (by !== undefined) lines.push(el("p", { className: "ban-by", text: by }));
  if (entry.address) lines.push(el("p", { className: "ban-by", text: t("bans.address") }));
  return el("li", { className: "ban", attrs: { "data-uid": entry.uid } }, el("div", { className: "ban-text" }, ...lines), button);
}

function byLine({ by, since }: BanEntry, names: KnownNames): string | undefined {
  if (by === null) return undefined;
  const who = actorName(by, names);
  return since === null ? t("bans.byOnly", { by: who }) : t("bans.by", { by: who, when: formatDateTime(new Date(since)) });
}
