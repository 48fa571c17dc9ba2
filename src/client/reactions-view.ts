/**
 * @module
 * A message's reactions as chips under it: the emoji and how many chose it, pressed when the
 * reader is one of them; a click toggles the reader's own. Chips are updated in place, by emoji,
 * so the one just clicked keeps the keyboard focus when the room's update comes back.
 */

import { reacted } from "../../packages/client/src/reaction-state";
import type { MessageFrame } from "../wire/protocol";
import { el } from "./dom";
import { formatNumber, t } from "./i18n/index";

/** The (empty) row of chips for a message, to fill with `showReactions`. */
export function reactionsRow(): HTMLDivElement {
  return el("div", { className: "reactions", attrs: { role: "group", "aria-label": t("reactions.label") } });
}

/** Makes `row` show `message`'s reactions as `viewer` (a uid) sees them; `toggle` is a chip's click. */
export function showReactions(row: HTMLElement, message: MessageFrame, viewer: string | undefined, toggle: (emoji: string) => void): void {
  const reactions = message.reactions ?? [];
  const chips = new Map([...row.querySelectorAll<HTMLButtonElement>("button.chip")].map((chip) => [chip.dataset.emoji!, chip]));
  const wanted = reactions.map((reaction) => {
    const chip = chips.get(reaction.emoji) ?? newChip(reaction.emoji, toggle);
    const mine = viewer !== undefined && reacted(reaction, viewer) === true;
    chip.setAttribute("aria-pressed", String(mine));
    chip.setAttribute("aria-label", t("reactions.chip", { emoji: reaction.emoji, count: reaction.count }));
    chip.querySelector(".chip-count")!.textContent = formatNumber(reaction.count);
    return chip;
  });
  for (const [emoji, chip] of chips) if (!reactions.some((r) => r.emoji === emoji)) remove(chip);
  // Only chips out of place move: moving one in the DOM would take the keyboard focus from it.
  wanted.forEach((chip, index) => {
    if (row.children[index] !== chip) row.insertBefore(chip, row.children[index] ?? null);
  });
  row.hidden = wanted.length === 0;
}

/** A chip whose last reaction was taken back; if it had the focus, the message's menu button takes it. */
function remove(chip: HTMLButtonElement): void {
  const focused = chip === document.activeElement;
  const item = chip.closest("li");
  chip.remove();
  if (focused) item?.querySelector<HTMLElement>(".more")?.focus();
}

function newChip(emoji: string, toggle: (emoji: string) => void): HTMLButtonElement {
  const chip = el(
    "button",
    { className: "chip", attrs: { type: "button", "data-emoji": emoji } },
    el("span", { className: "emoji", text: emoji, attrs: { "aria-hidden": "true" } }),
    el("span", { className: "chip-count", attrs: { "aria-hidden": "true" } }),
  );
  chip.addEventListener("click", () => toggle(emoji));
  return chip;
}
