/**
 * A message's menu with the keyboard alone, and with a finger: Tab reaches a message's menu
 * button, the arrow keys move through the menu, Escape goes back; Reply, React, Edit and Delete
 * all work without a mouse. On a touch screen a long press opens the menu.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { messageItem, waitForChips } from "./message-support";
import { join, leave, logTexts, messageBox, PHONE, say, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

const fixture = usePageFixture();

/** What has the focus: its role or tag, and its accessible name as far as a test can tell. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return `${el.getAttribute("role") ?? el.tagName.toLowerCase()}: ${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim()}`;
  });
}

/** From the message box, Shift+Tab back to the menu button of the last message. */
async function tabToLastMenuButton(page: Page): Promise<void> {
  await messageBox(page).focus();
  const label = text(page, "menu.label", { name: "Alice" });
  for (let i = 0; i < 6 && (await focused(page)) !== `button: ${label}`; i++) await page.keyboard.press("Shift+Tab");
  expect(await focused(page)).toBe(`button: ${label}`);
}

describe("a message's menu", () => {
  it("works with the keyboard alone: arrows, Home, End, Escape, and every action", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("keys"), "Alice");
    const { page } = alice;
    await say(page, "by keyboard");
    await waitForMessage(page, "by keyboard");
    const item = (key: Parameters<typeof text>[1]) => `menuitem: ${text(page, key)}`;

    await tabToLastMenuButton(page);
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe(item("menu.reply"));
    await page.keyboard.press("ArrowDown");
    expect(await focused(page)).toBe(item("menu.react"));
    await page.keyboard.press("End");
    expect(await focused(page)).toBe(item("menu.delete"));
    await page.keyboard.press("ArrowDown");
    expect(await focused(page)).toBe(item("menu.reply"));
    await page.keyboard.press("ArrowUp");
    expect(await focused(page)).toBe(item("menu.delete"));
    await page.keyboard.press("Home");
    expect(await focused(page)).toBe(item("menu.reply"));
    await page.keyboard.press("Escape");
    await page.getByRole("menu").waitFor({ state: "detached" });
    expect(await focused(page)).toBe(`button: ${text(page, "menu.label", { name: "Alice" })}`);

    // Edit: Enter on the item, type, Enter saves; the focus comes back to the menu button.
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe(`textarea: ${text(page, "edit.label")}`);
    await page.keyboard.type(", edited");
    await page.keyboard.press("Enter");
    await waitForMessage(page, "by keyboard, edited");
    await page.locator(".editor").waitFor({ state: "detached" });
    expect(await focused(page)).toBe(`button: ${text(page, "menu.label", { name: "Alice" })}`);

    // React: the picker takes the focus on its first emoji.
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe("button: 👍");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await waitForChips(page, "by keyboard, edited", ["❤️ 1*"]);

    // Reply: the cursor lands in the message box; Escape there drops the reply.
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("message");
    await page.locator("#reply-bar").waitFor();
    await page.keyboard.press("Escape");
    await page.locator("#reply-bar").waitFor({ state: "hidden" });

    // Delete: Escape in the dialog keeps the message; confirming deletes it.
    await tabToLastMenuButton(page);
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: text(page, "delete.heading") });
    await dialog.waitFor();
    expect(await focused(page)).toBe(`button: ${text(page, "delete.cancel")}`);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focused(page)).toBe(`button: ${text(page, "menu.label", { name: "Alice" })}`);
    expect(await logTexts(page)).toEqual(["by keyboard, edited"]);
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    // The dialog opens after the key press is handled: Tab must wait for it, as a person would.
    await dialog.waitFor();
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe(`button: ${text(page, "delete.confirm")}`);
    await page.keyboard.press("Enter");
    await waitForMessage(page, text(page, "message.deleted"));
    expect(alice.errors).toEqual([]);
    await leave(alice);
  });

  it("reaches a reaction chip with Tab and toggles it with Space; the focus stays on the message", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("chip"), "Alice");
    const { page } = alice;
    await say(page, "chips");
    await waitForMessage(page, "chips");
    await tabToLastMenuButton(page);
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await waitForChips(page, "chips", ["👍 1*"]);
    const chip = text(page, "reactions.chip", { emoji: "👍", count: 1 });
    await messageBox(page).focus();
    for (let i = 0; i < 6 && (await focused(page)) !== `button: ${chip}`; i++) await page.keyboard.press("Shift+Tab");
    expect(await focused(page)).toBe(`button: ${chip}`);
    await page.keyboard.press("Space");
    await waitForChips(page, "chips", []);
    // The chip is gone with the last reaction: its message's menu button has the focus.
    expect(await focused(page)).toBe(`button: ${text(page, "menu.label", { name: "Alice" })}`);
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await waitForChips(page, "chips", ["👍 1*"]);
    await leave(alice);
  });

  it("opens on a long press on a touch screen", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("touch"), "Alice", { viewport: PHONE, touch: true });
    const { page } = alice;
    await messageBox(page).fill("press me");
    await page.getByRole("button", { name: text(page, "composer.send") }).tap();
    await waitForMessage(page, "press me");
    const box = (await messageItem(page, "press me").locator(".text").boundingBox())!;
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [point] });
    await page.getByRole("menu").waitFor();
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await cdp.detach();
    // The finger's release closes nothing: the menu stays, with the focus on its first item.
    await page.waitForTimeout(300);
    expect(await focused(page)).toBe(`menuitem: ${text(page, "menu.reply")}`);
    const items = (["menu.reply", "menu.react", "menu.edit", "menu.delete"] as const).map((key) => text(page, key));
    expect(await page.getByRole("menuitem").allTextContents()).toEqual(items);
    await leave(alice);
  });
});
