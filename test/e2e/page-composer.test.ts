/**
 * The message box in Chromium: Enter sends and Shift+Enter breaks the line (the other way round on
 * a touch screen), an input method's confirming Enter never sends, the box grows, the counter
 * counts code points near the limit, and each room keeps its draft across a reload.
 */
import { describe, expect, it } from "vitest";
import { join, leave, logTexts, messageBox, PHONE, say, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

const fixture = usePageFixture();

describe("composer", () => {
  it("sends on Enter, breaks the line on Shift+Enter, and shows the line breaks", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("lines"), "Alice");
    const box = messageBox(alice.page);
    await box.pressSequentially("first line");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    expect(await box.inputValue()).toBe("first line\nsecond line");
    await box.press("Enter");
    await waitForMessage(alice.page, "first line\nsecond line");
    expect(await box.inputValue()).toBe("");
    const shown = alice.page.getByRole("log").locator("li .text").last();
    expect(await shown.evaluate((el) => (el as HTMLElement).innerText)).toBe("first line\nsecond line");
    await leave(alice);
  });

  it("never sends on the Enter that confirms an input method's composition", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("ime"), "Alice");
    const box = messageBox(alice.page);
    await box.focus();
    const cdp = await alice.page.context().newCDPSession(alice.page);
    // Pinyin: "ni" is being composed and Enter confirms it; then the input method commits 你.
    for (const [pinyin, hanzi] of [
      ["ni", "你"],
      ["hao", "好"],
    ] as const) {
      await cdp.send("Input.imeSetComposition", { text: pinyin, selectionStart: pinyin.length, selectionEnd: pinyin.length });
      await alice.page.keyboard.press("Enter");
      // Sending is synchronous: a sent message would already be in the log, pending.
      expect(await logTexts(alice.page)).toEqual([]);
      await cdp.send("Input.insertText", { text: hanzi });
    }
    expect(await box.inputValue()).toContain("你好");
    await cdp.detach();

    // The composition is over: now Enter sends what was composed, and it is the only message.
    await box.press("Enter");
    await waitForMessage(alice.page, "你好");
    expect(await logTexts(alice.page)).toEqual(["你好"]);
    await leave(alice);
  });

  it("ignores an Enter flagged as IME processing (key code 229), as Safari sends after compositionend", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("ime229"), "Alice");
    const box = messageBox(alice.page);
    await box.fill("こんにちは");
    const cdp = await alice.page.context().newCDPSession(alice.page);
    await cdp.send("Input.dispatchKeyEvent", { type: "rawKeyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229 });
    await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229 });
    await cdp.detach();
    expect(await logTexts(alice.page)).toEqual([]);
    expect(await box.inputValue()).toContain("こんにちは");
    await leave(alice);
  });

  it("on a touch screen, Enter breaks the line and the Send button sends", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("touch"), "Alice", { viewport: PHONE, touch: true });
    const box = messageBox(alice.page);
    expect(await box.getAttribute("enterkeyhint")).toBe("enter");
    await box.pressSequentially("shopping:");
    await box.press("Enter");
    await box.pressSequentially("milk");
    expect(await box.inputValue()).toBe("shopping:\nmilk");
    expect(await logTexts(alice.page)).toEqual([]);
    await alice.page.getByRole("button", { name: text(alice.page, "composer.send") }).tap();
    await waitForMessage(alice.page, "shopping:\nmilk");
    await leave(alice);
  });

  it("grows with its text to a few lines, then scrolls", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("grow"), "Alice");
    const box = messageBox(alice.page);
    const height = () => box.evaluate((el) => el.getBoundingClientRect().height);
    const oneLine = await height();
    await box.fill("1\n2\n3");
    const threeLines = await height();
    expect(threeLines).toBeGreaterThan(oneLine * 1.8);
    await box.fill(Array.from({ length: 30 }, (_, i) => i).join("\n"));
    const capped = await height();
    expect(capped).toBeLessThan(oneLine * 5);
    expect(await box.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    // Sent, it shrinks back to one line.
    await box.press("Enter");
    await alice.page.getByRole("log").locator("li:not(.pending) .text").filter({ hasText: "29" }).waitFor();
    expect(await height()).toBe(oneLine);
    await leave(alice);
  });

  it("counts code points near the limit, as the server does", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("count"), "Alice");
    const box = messageBox(alice.page);
    const counter = alice.page.locator("#counter");
    await box.fill("hi");
    expect(await counter.isVisible()).toBe(false);
    // 1990 emoji: 3980 UTF-16 units, but 1990 characters of the 2000 allowed.
    await box.fill("😀".repeat(1990));
    expect(await counter.textContent()).toBe(text(alice.page, "composer.left", { count: 10 }));
    await box.fill("😀".repeat(2003));
    expect(await counter.textContent()).toBe(text(alice.page, "composer.over", { count: 3 }));
    await box.press("Enter");
    const reason = text(alice.page, "error.text_too_long");
    await alice.page
      .getByRole("alert")
      .filter({ hasText: text(alice.page, "composer.notSent", { reason }) })
      .waitFor();
    expect(await logTexts(alice.page)).toEqual([]);
    await leave(alice);
  });

  it("keeps each room's draft across a reload, and forgets it once sent", async () => {
    const room = uniqueRoom("draft");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    await messageBox(alice.page).fill("half a thought\nand more");
    await alice.page.reload();
    await alice.page
      .getByRole("status")
      .filter({ hasText: text(alice.page, "status.live") })
      .waitFor();
    expect(await messageBox(alice.page).inputValue()).toBe("half a thought\nand more");

    const other = await alice.context.newPage();
    await other.goto(`${fixture.server.url}/chat/${uniqueRoom("elsewhere")}`);
    expect(await other.locator("#message").inputValue()).toBe("");
    await other.close();

    await messageBox(alice.page).press("Enter");
    await waitForMessage(alice.page, "half a thought\nand more");
    await alice.page.reload();
    await alice.page
      .getByRole("status")
      .filter({ hasText: text(alice.page, "status.live") })
      .waitFor();
    expect(await messageBox(alice.page).inputValue()).toBe("");
    await say(alice.page, "done");
    await leave(alice);
  });
});
