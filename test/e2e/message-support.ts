/**
 * @module
 * Browser-test helpers for what a reader does with a message: find it in the log, open its menu,
 * choose an action, read its reactions. Accessible names only, in the page's language.
 */
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { exactly, text } from "./page-support";

/** The log item of the delivered message whose text is exactly `body`. */
export function messageItem(page: Page, body: string): Locator {
  return page
    .getByRole("log")
    .locator("li[data-id]")
    .filter({ has: page.locator(".text", { hasText: exactly(body) }) });
}

/** Opens the menu of the message `body` with the mouse (hover, then its button). */
export async function openMenu(page: Page, body: string): Promise<Locator> {
  const item = messageItem(page, body);
  await item.hover();
  await item.locator("button.more").click();
  const menu = page.getByRole("menu");
  await menu.waitFor();
  return menu;
}

/** The menu's item names, in order. */
export async function menuItems(page: Page, body: string): Promise<string[]> {
  const menu = await openMenu(page, body);
  const names = await menu.getByRole("menuitem").allTextContents();
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  return names;
}

/** Chooses the menu item `key` (a menu.* string) on the message `body`. */
export async function choose(page: Page, body: string, key: "menu.reply" | "menu.react" | "menu.edit" | "menu.delete"): Promise<void> {
  const menu = await openMenu(page, body);
  await menu.getByRole("menuitem", { name: text(page, key), exact: true }).click();
}

/** Reacts to the message `body` with one of the picker's emoji. */
export async function reactWith(page: Page, body: string, emoji: string): Promise<void> {
  await choose(page, body, "menu.react");
  await page
    .getByRole("dialog", { name: text(page, "picker.label") })
    .getByRole("button", { name: emoji, exact: true })
    .click();
}

/** The message's reaction chips as "emoji count" (pressed ones marked "*"), in order. */
export function chips(page: Page, body: string): Promise<string[]> {
  return messageItem(page, body)
    .locator("button.chip")
    .evaluateAll((buttons) =>
      buttons.map(
        (b) =>
          `${b.querySelector(".emoji")!.textContent} ${b.querySelector(".chip-count")!.textContent}${b.getAttribute("aria-pressed") === "true" ? "*" : ""}`,
      ),
    );
}

/** Waits until the message `body` shows exactly these chips. */
export async function waitForChips(page: Page, body: string, expected: string[]): Promise<void> {
  await expect.poll(() => chips(page, body), { timeout: 15_000 }).toEqual(expected);
}
