/**
 * Not missing anything: while the tab is hidden the title counts unread messages and a divider
 * marks where they start; a mention of the reader's name is highlighted and, hidden and allowed,
 * raises a desktop notification, whose permission is asked only from the bell.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { join, leave, say, setHidden, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

const fixture = usePageFixture();

interface Observed {
  requests: number;
  shown: { title: string; body: string | undefined }[];
}

/**
 * Replaces `Notification` before the page loads with one that records what it is asked, starting
 * from `permission` ("default": not asked yet) and granting when asked.
 */
function observeNotifications(permission: NotificationPermission) {
  return async (page: Page): Promise<void> => {
    await page.context().grantPermissions(["notifications"]);
    await page.addInitScript((initial) => {
      const observed = { requests: 0, shown: [] as { title: string; body: string | undefined }[] };
      let permission = initial;
      class ObservedNotification extends EventTarget {
        static get permission() {
          return permission;
        }
        static async requestPermission() {
          observed.requests++;
          permission = "granted";
          return permission;
        }
        constructor(title: string, options?: NotificationOptions) {
          super();
          observed.shown.push({ title, body: options?.body });
        }
        close() {}
      }
      Object.assign(window, { Notification: ObservedNotification, observed });
    }, permission);
  };
}

const observed = (page: Page) => page.evaluate(() => (window as unknown as { observed: Observed }).observed);

describe("unread messages", () => {
  it("counts messages that come while the tab is hidden in the title, and marks where they start", async () => {
    const room = uniqueRoom("unread");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await say(bob.page, "before");
    await waitForMessage(alice.page, "before");
    expect(await alice.page.title()).toBe(`${room} · Edge Chat`);

    await setHidden(alice.page, true);
    await say(bob.page, "one");
    await say(bob.page, "two");
    await waitForMessage(alice.page, "two");
    expect(await alice.page.title()).toBe(`(2) ${room} · Edge Chat`);
    expect(await alice.page.locator(".divider").count()).toBe(0);

    await setHidden(alice.page, false);
    expect(await alice.page.title()).toBe(`${room} · Edge Chat`);
    const divider = alice.page
      .getByRole("log")
      .getByRole("listitem")
      .filter({ hasText: text(alice.page, "log.newSinceYouLeft") });
    expect(await divider.count()).toBe(1);
    expect(await divider.evaluate((el) => el.nextElementSibling?.querySelector(".text")?.textContent)).toBe("one");

    // A second absence moves the divider: there is only ever one.
    await setHidden(alice.page, true);
    await say(bob.page, "three");
    await waitForMessage(alice.page, "three");
    expect(await alice.page.title()).toBe(`(1) ${room} · Edge Chat`);
    await setHidden(alice.page, false);
    expect(await divider.count()).toBe(1);
    expect(await divider.evaluate((el) => el.nextElementSibling?.querySelector(".text")?.textContent)).toBe("three");
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("counts neither the history shown on joining in a background tab nor the reader's own messages", async () => {
    const room = uniqueRoom("background");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await say(bob.page, "old news");
    const hiddenFromStart = async (page: Page) => {
      await page.addInitScript(() => Object.defineProperty(document, "hidden", { configurable: true, get: () => true }));
    };
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice", { setup: hiddenFromStart });
    await waitForMessage(alice.page, "old news");
    expect(await alice.page.title()).toBe(`${room} · Edge Chat`);
    await say(alice.page, "mine");
    await waitForMessage(alice.page, "mine");
    await say(bob.page, "fresh");
    await waitForMessage(alice.page, "fresh");
    expect(await alice.page.title()).toBe(`(1) ${room} · Edge Chat`);
    await Promise.all([leave(alice), leave(bob)]);
  });
});

describe("mentions", () => {
  it("highlights messages that mention the reader's name, in any case, and only those", async () => {
    const room = uniqueRoom("mention");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    for (const message of ["hey @alice, look", "@Alicia is someone else", "mail alice@example.com", "no one"]) await say(bob.page, message);
    await say(alice.page, "@Alice talking to myself");
    await waitForMessage(alice.page, "@Alice talking to myself");
    const highlighted = alice.page.getByRole("log").locator("li.mention");
    expect(await highlighted.locator(".text").allTextContents()).toEqual(["hey @alice, look"]);
    // Said in words too, for a screen reader.
    expect(await highlighted.textContent()).toContain(text(alice.page, "log.mentionsYou"));
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("asks for notification permission only from the bell, then notifies of mentions while hidden", async () => {
    const room = uniqueRoom("notify");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice", { setup: observeNotifications("default") });
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    const bell = alice.page.getByRole("button", { name: text(alice.page, "notify.label") });
    expect(await observed(alice.page)).toEqual({ requests: 0, shown: [] });
    expect(await bell.getAttribute("aria-pressed")).toBe("false");

    await bell.focus();
    await alice.page.keyboard.press("Enter");
    await alice.page.waitForFunction(() => document.getElementById("notify")?.getAttribute("aria-pressed") === "true");
    expect((await observed(alice.page)).requests).toBe(1);

    await setHidden(alice.page, true);
    await say(bob.page, "nothing for Alice here");
    await say(bob.page, "@Alice standup?");
    await waitForMessage(alice.page, "@Alice standup?");
    await setHidden(alice.page, false);
    await say(bob.page, "@Alice you are back");
    await waitForMessage(alice.page, "@Alice you are back");
    expect((await observed(alice.page)).shown).toEqual([{ title: text(alice.page, "notify.title", { name: "Bob", room }), body: "@Alice standup?" }]);

    // Turned off, the bell stays off: no notification, even hidden.
    await bell.click();
    expect(await bell.getAttribute("aria-pressed")).toBe("false");
    await setHidden(alice.page, true);
    await say(bob.page, "@Alice still there?");
    await waitForMessage(alice.page, "@Alice still there?");
    expect((await observed(alice.page)).shown).toHaveLength(1);
    expect(alice.errors).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("says so on the bell, and asks nothing, when the browser blocks notifications", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("blocked"), "Alice", { setup: observeNotifications("denied") });
    const bell = alice.page.getByRole("button", { name: text(alice.page, "notify.blocked") });
    expect(await bell.getAttribute("aria-disabled")).toBe("true");
    // Still focusable, so a keyboard user can reach it and hear why; pressing it asks nothing.
    await bell.focus();
    await alice.page.keyboard.press("Enter");
    expect(await observed(alice.page)).toEqual({ requests: 0, shown: [] });
    await leave(alice);
  });
});
