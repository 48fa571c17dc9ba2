/**
 * @module
 * The room's announcements (`moderation` frames) as lines of the log, in the reader's language:
 * "Alice removed a message by Bob.", "Alice banned Bob until ...", "Alice locked the room." They
 * are not messages: no author, no menu. People are named as the page knows them (in Online, or as
 * the author of a shown message); the operator API as "An operator", or by the name it gave.
 */
import type { ModerationFrame, RoomSettings } from "../wire/moderation-frames";
import { formatDateTime, formatDuration, t } from "./i18n/index";

export interface KnownNames {
  /** A person's display name, if the page knows it. */
  person(uid: string): string | undefined;
  /** The author's name of a shown message. */
  author(id: number): string | undefined;
}

const OPERATOR = "operator";

/** Who took an action, as the notices and the removal notice name them. */
export function actorName(by: string, names: KnownNames): string {
  if (by === OPERATOR) return t("notice.operator");
  if (by.startsWith(`${OPERATOR}:`)) return by.slice(OPERATOR.length + 1);
  return names.person(by) ?? t("notice.moderator");
}

/** The notice for an announcement. */
export function noticeText(frame: ModerationFrame, names: KnownNames): string {
  const by = actorName(frame.by, names);
  const concerned = frame.action === "delete" && frame.id !== undefined ? names.author(frame.id) : undefined;
  // A ban names the person as the room knew them, for someone the page never saw.
  const name = concerned ?? (frame.uid === undefined ? undefined : names.person(frame.uid)) ?? frame.name ?? t("notice.someone");
  switch (frame.action) {
    case "delete":
      return t("notice.delete", { by, name });
    case "kick":
      return withReason(t("notice.kick", { by, name }), frame.reason);
    case "ban": {
      const banned =
        frame.until === undefined ? t("notice.ban", { by, name }) : t("notice.banUntil", { by, name, when: formatDateTime(new Date(frame.until)) });
      return withReason(banned, frame.reason);
    }
    case "unban":
    case "promote":
    case "demote":
      return t(`notice.${frame.action}`, { by, name });
    case "claim":
      return t("notice.claim", { by });
    case "owner":
      return frame.uid === undefined ? t("notice.noOwner", { by }) : t("notice.owner", { by, name });
    case "settings":
      return settingsText(by, frame.settings ?? {});
  }
}

function withReason(text: string, reason: string | undefined): string {
  return reason === undefined ? text : `${text} ${t("notice.reason", { reason })}`;
}

/** One sentence per field that was set, in a fixed order. */
function settingsText(by: string, { topic, slowSeconds, locked }: Partial<RoomSettings>): string {
  const sentences: string[] = [];
  if (topic !== undefined) sentences.push(topic === "" ? t("notice.topicCleared", { by }) : t("notice.topic", { by, topic }));
  if (slowSeconds !== undefined) sentences.push(slowSeconds === 0 ? t("notice.slowOff", { by }) : t("notice.slow", { by, time: formatDuration(slowSeconds) }));
  if (locked !== undefined) sentences.push(t(locked ? "notice.locked" : "notice.unlocked", { by }));
  return sentences.join(" ");
}
