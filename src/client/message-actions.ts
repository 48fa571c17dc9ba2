/**
 * @module
 * What the reader can do with a message, as its menu offers it: Reply and React on any message,
 * Edit on their own (none of these while a lock keeps the reader from writing), Delete on their
 * own and, for the owner and moderators, on the messages of anyone below them. Each action is one entry of `ACTIONS` with the rule for when it applies. The
 * room's refusals are said in the alert line under the composer; an edit's in its editor.
 */

import type { Connection } from "../../packages/client/src/connection";
import type { ActionOutcome, ActionProblem } from "../../packages/client/src/pending-actions";
import type { MessageFrame } from "../wire/protocol";
import type { Composer } from "./composer";
import { confirmed } from "./confirm-dialog";
import { openPicker } from "./emoji-picker";
import type { ParamArgs } from "./i18n/catalog";
import type { Key } from "./i18n/en";
import { t } from "./i18n/index";
import { editInPlace } from "./message-editor";
import type { MenuItem } from "./message-menu";
import type { CurrentRoom } from "./room-state";

export interface MessageActionsDeps {
  connection: Pick<Connection, "act" | "maxMessageChars">;
  composer: Pick<Composer, "replyTo" | "showError">;
  /** The reader's uid; `undefined` before the first welcome. */
  viewer(): string | undefined;
  /** Whom the reader moderates, and whether they may write now. */
  room: Pick<CurrentRoom, "outranks" | "mayPost">;
}

/** A message as one of its actions sees it. */
interface Target {
  message: MessageFrame;
  item: HTMLLIElement;
  /** The reader wrote it (same uid). */
  own: boolean;
  deps: MessageActionsDeps;
}

/** A string without parameters: a menu item's label. */
type Label = { [K in Key]: ParamArgs<K> extends [] ? K : never }[Key];

interface MessageAction {
  label: Label;
  danger?: true;
  applies(target: Target): boolean;
  run(target: Target): void;
}

const ACTIONS: readonly MessageAction[] = [
  { label: "menu.reply", applies: ({ deps }) => deps.room.mayPost, run: ({ message, deps }) => deps.composer.replyTo(message) },
  {
    label: "menu.react",
    applies: ({ deps }) => deps.room.mayPost,
    run: ({ message, item, deps }) => openPicker(item.querySelector(".more")!, (emoji) => react(deps, message.id, emoji)),
  },
  { label: "menu.edit", applies: ({ own, item, deps }) => own && deps.room.mayPost && !item.querySelector(".editor"), run: edit },
  {
    label: "menu.delete",
    danger: true,
    applies: ({ own, message, deps }) => own || deps.room.outranks(message.from.uid),
    run: (target) => void remove(target),
  },
];

/** The menu of `message`, shown in `item`: the actions that apply to it now. */
export function messageMenu(deps: MessageActionsDeps, message: MessageFrame, item: HTMLLIElement): MenuItem[] {
  const target: Target = { message, item, own: message.from.uid === deps.viewer(), deps };
  return ACTIONS.filter((action) => action.applies(target)).map(({ label, danger, run }) => ({
    label: t(label),
    run: () => run(target),
    ...(danger ? { danger } : {}),
  }));
}

/** Toggles the reader's `emoji` on message `id`. */
export function react(deps: MessageActionsDeps, id: number, emoji: string): void {
  void deps.connection.act({ type: "react", id, emoji }).then((outcome) => report(deps, outcome));
}

function edit({ message, item, deps }: Target): void {
  editInPlace(item.querySelector(".text")!, message.text, {
    maxChars: () => deps.connection.maxMessageChars,
    save: async (text) => {
      const outcome = await deps.connection.act({ type: "edit", id: message.id, text });
      return outcome.ok ? undefined : notChanged(outcome.code);
    },
    closed: () => item.querySelector<HTMLElement>(".more")?.focus(),
  });
}

async function remove({ message, item, deps }: Target): Promise<void> {
  if (!(await confirmed("delete-dialog"))) return;
  report(deps, await deps.connection.act({ type: "delete", id: message.id }));
  // The menu's button went with the text: the focus stays on the message.
  if (!item.contains(document.activeElement)) {
    item.tabIndex = -1;
    item.focus();
  }
}

function report(deps: MessageActionsDeps, outcome: ActionOutcome): void {
  if (!outcome.ok) deps.composer.showError(notChanged(outcome.code));
}

/** Why a request got no yes, in the reader's language, by its code. */
export function problemText(code: ActionProblem): string {
  return code === "offline" || code === "unconfirmed" ? t(`action.${code}`) : t(`error.${code}`);
}

/** A refusal of an action (on a message, or a moderator's) in the reader's language, by its code. */
export function notChanged(code: ActionProblem): string {
  return t("action.notChanged", { reason: problemText(code) });
}
