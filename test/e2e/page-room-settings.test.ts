/**
 * The room's settings on the page, in Chromium against `wrangler dev`: the owner changes them in
 * the settings panel; everyone sees the topic under the room's name and a notice of each change;
 * slow mode counts down on a member's Send button (from the room's `retryAfter` when the page did
 * not know), not on a moderator's; a lock disables members' composers, not moderators'.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { menuItems } from "./message-support";
import { changeSettings, createRoom, openSettings, waitForNotice } from "./moderation-support";
import { join, leave, logTexts, messageBox, say, text, usePageFixture, waitForMessage, waitLive } from "./page-support";

const fixture = usePageFixture();

function sendButton(page: Page) {
  return page.locator("#send");
}

function topic(page: Page) {
  return page.locator("#room-topic");
}

describe("the topic", () => {
  it("shows under the room's name for everyone, newcomers too, and is announced", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await changeSettings(alice.page, { topic: "Release planning <b>v2</b>" });
    await waitForNotice(bob.page, "notice.topic", { by: "Alice", topic: "Release planning <b>v2</b>" });
    expect(await topic(bob.page).textContent()).toBe("Release planning <b>v2</b>");
    const carol = await join(fixture.browser, fixture.server.url, alice.room, "Carol");
    expect(await topic(carol.page).textContent()).toBe("Release planning <b>v2</b>");
    // The panel opens with the room's settings; an empty topic clears it.
    const panel = await openSettings(alice.page);
    expect(await panel.getByRole("textbox", { name: text(alice.page, "settings.topic") }).inputValue()).toBe("Release planning <b>v2</b>");
    await alice.page.keyboard.press("Escape");
    await changeSettings(alice.page, { topic: "" });
    await waitForNotice(carol.page, "notice.topicCleared", { by: "Alice" });
    expect(await topic(carol.page).isHidden()).toBe(true);
    await Promise.all([leave(alice), leave(bob), leave(carol)]);
  });
});

describe("slow mode", () => {
  it("counts down on a member's Send button after each message, and not on the owner's", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await changeSettings(alice.page, { slow: "5 seconds" });
    await waitForNotice(bob.page, "notice.slow", { by: "Alice", time: "5 seconds" });

    await say(bob.page, "one");
    await expect.poll(() => sendButton(bob.page).textContent()).toMatch(/^Wait [1-5]s$/);
    expect(await sendButton(bob.page).isDisabled()).toBe(true);
    // Enter while it counts: nothing goes, the text stays, and the reader is told why.
    await say(bob.page, "two");
    await bob.page
      .getByRole("alert")
      .filter({ hasText: /^Slow mode: you can send again in [1-5]s\.$/ })
      .waitFor();
    expect(await messageBox(bob.page).inputValue()).toBe("two");
    await expect.poll(() => sendButton(bob.page).textContent(), { timeout: 15_000 }).toBe(text(bob.page, "composer.send"));
    expect(await sendButton(bob.page).isEnabled()).toBe(true);
    await messageBox(bob.page).press("Enter");
    await waitForMessage(alice.page, "two");

    await say(alice.page, "owners are not slowed");
    await say(alice.page, "at all");
    await waitForMessage(bob.page, "at all");
    expect(await sendButton(alice.page).textContent()).toBe(text(alice.page, "composer.send"));
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("takes the wait from the room's refusal when the page did not know it (after a reload)", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await changeSettings(alice.page, { slow: "1 minute" });
    await waitForNotice(bob.page, "notice.slow", { by: "Alice", time: "1 minute" });
    await say(bob.page, "first");
    await waitForMessage(alice.page, "first");
    await bob.page.reload();
    await waitLive(bob.page);
    expect(await sendButton(bob.page).textContent()).toBe(text(bob.page, "composer.send"));
    await say(bob.page, "too soon");
    await bob.page
      .getByRole("log")
      .locator("li.failed")
      .filter({ hasText: text(bob.page, "error.slow_mode") })
      .waitFor();
    await expect.poll(() => sendButton(bob.page).textContent()).toMatch(/^Wait (1m|[1-5]\ds)$/);
    expect(await logTexts(alice.page)).toEqual(["first"]);
    await Promise.all([leave(alice), leave(bob)]);
  });
});

describe("the lock", () => {
  it("disables members' composers, with the reason, but not moderators'; it holds after a reload", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await say(bob.page, "mine");
    await waitForMessage(alice.page, "mine");
    await changeSettings(alice.page, { locked: true });
    await waitForNotice(bob.page, "notice.locked", { by: "Alice" });
    await bob.page
      .getByRole("status")
      .filter({ hasText: text(bob.page, "room.locked") })
      .waitFor();
    expect(await messageBox(bob.page).isDisabled()).toBe(true);
    expect(await sendButton(bob.page).isDisabled()).toBe(true);
    await alice.page.getByText(text(alice.page, "room.lockedModerator")).waitFor();
    await say(alice.page, "only us for now");
    await waitForMessage(bob.page, "only us for now");
    // Nothing that writes is offered to a member; deleting their own still is.
    expect(await menuItems(bob.page, "mine")).toEqual([text(bob.page, "menu.delete")]);
    expect(await menuItems(alice.page, "mine")).toEqual([text(alice.page, "menu.reply"), text(alice.page, "menu.react"), text(alice.page, "menu.delete")]);

    await bob.page.reload();
    await waitLive(bob.page);
    expect(await messageBox(bob.page).isDisabled()).toBe(true);
    await changeSettings(alice.page, { locked: false });
    await waitForNotice(bob.page, "notice.unlocked", { by: "Alice" });
    expect(await messageBox(bob.page).isEnabled()).toBe(true);
    expect(await bob.page.getByText(text(bob.page, "room.locked")).isHidden()).toBe(true);
    await say(bob.page, "thanks");
    await waitForMessage(alice.page, "thanks");
    await Promise.all([leave(alice), leave(bob)]);
  });
});
