/**
 * Accessibility, checked by a real auditor: axe-core runs inside the page (evaluated through the
 * DevTools protocol, since the CSP blocks injected script tags) on the landing page and the room
 * page (name prompt, joined with replies, reactions, edited and deleted messages, a message's menu
 * and the emoji picker, dark scheme, phone width; the owner's view with a topic, a lock, the
 * room's notices, actions in Online, the settings panel and the ban dialog; a banned person's
 * view; an app user whose token expired), in every language, and finds nothing.
 * The room's controls are all reachable with the keyboard.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { choose, openMenu, reactWith, waitForChips } from "./message-support";
import { actOn, changeSettings, createRoom, openSettings, personButton, removalNotice, remove, waitForNotice } from "./moderation-support";
import { DESKTOP, join, LOCALES, leave, messageBox, openPage, PHONE, say, setHidden, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";
import { AUTH_SECRET, sign } from "./token-support";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PUSH_TOKEN = "a11y-test-token";

const fixture = usePageFixture({ vars: { PUSH_TOKEN, STATS_INTERVAL_SECONDS: 1, AUTH_SECRET } });

interface Violation {
  id: string;
  impact: string;
  targets: string[];
}

/** axe's violations on the page as it is now: rule, impact and the offending elements. */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    const results = await axe.run();
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

async function pushBot(room: string, text: string): Promise<void> {
  const response = await fetch(`${fixture.server.url}/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${PUSH_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ from: "Deploy", text }),
  });
  expect(response.status).toBe(201);
}

describe.each(LOCALES)("axe in %s", (locale) => {
  it("finds nothing on the landing page, light and dark, desktop and phone", async () => {
    const { context, page } = await openPage(fixture.browser, locale);
    await page.goto(fixture.server.url);
    expect(await violations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize(PHONE);
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  it("finds nothing on the room's name prompt", async () => {
    const { context, page } = await openPage(fixture.browser, locale);
    await page.goto(`${fixture.server.url}/chat/${uniqueRoom("prompt")}`);
    await page.getByRole("dialog").waitFor();
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  it("finds nothing in a busy room, seen by its owner: light and dark, desktop and phone", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice", { locale });
    const { room } = alice;
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob", { locale });
    await say(bob.page, "Morning! Notes are at https://example.com/notes");
    await say(bob.page, "@Alice can you look?\nSecond line.");
    await pushBot(room, "Build #7 is live");
    await say(alice.page, "On it");
    await waitForMessage(alice.page, "On it");
    // Changes: a reaction, a reply, an edited message and a deleted one.
    await reactWith(alice.page, "Morning! Notes are at https://example.com/notes", "👍");
    await choose(bob.page, "On it", "menu.reply");
    await say(bob.page, "Great");
    await say(bob.page, "Typo");
    await choose(bob.page, "Typo", "menu.edit");
    await bob.page.getByRole("textbox", { name: text(bob.page, "edit.label") }).fill("Fixed");
    await bob.page.keyboard.press("Enter");
    await say(alice.page, "Never mind");
    await choose(alice.page, "Never mind", "menu.delete");
    await alice.page
      .getByRole("dialog", { name: text(alice.page, "delete.heading") })
      .getByRole("button", { name: text(alice.page, "delete.confirm") })
      .click();
    await waitForMessage(alice.page, "Fixed");
    await waitForMessage(alice.page, text(alice.page, "message.deleted"));
    await waitForChips(alice.page, "Morning! Notes are at https://example.com/notes", ["👍 1*"]);
    // Away and back: the "new since you left" divider.
    await setHidden(alice.page, true);
    await say(bob.page, "Thanks!");
    await waitForMessage(alice.page, "Thanks!");
    await setHidden(alice.page, false);
    await alice.page.locator(".divider").waitFor();
    await waitForMessage(alice.page, "Build #7 is live");
    // The server relays at most one typing frame a second per person.
    await bob.page.waitForTimeout(1100);
    await messageBox(bob.page).pressSequentially("typing", { delay: 30 });
    await alice.page.locator("#typing").filter({ hasText: "Bob" }).waitFor();
    await alice.page.locator("#room-stats").filter({ hasText: /\d/ }).waitFor();
    // The owner's view: a moderator in Online, a topic, a lock, and the notices of each.
    await actOn(alice.page, "Bob", "people.promote");
    await changeSettings(alice.page, { topic: "Weekly sync: notes in the doc", locked: true });
    await waitForNotice(alice.page, "notice.locked", { by: "Alice" });
    await personButton(alice.page, "Bob").waitFor();
    // The near-limit counter and an error, so they are audited too.
    await alice.page.locator("#message").fill("x".repeat(2005));
    await alice.page.locator("#message").press("Enter");
    await alice.page.getByRole("alert").waitFor();

    expect(await violations(alice.page)).toEqual([]);
    await alice.page.emulateMedia({ colorScheme: "dark" });
    expect(await violations(alice.page)).toEqual([]);
    await alice.page.setViewportSize(PHONE);
    expect(await violations(alice.page)).toEqual([]);
    await alice.page.emulateMedia({ colorScheme: "light" });
    expect(await violations(alice.page)).toEqual([]);
    // With a message's menu open, then the emoji picker.
    await alice.page.setViewportSize(DESKTOP);
    await openMenu(alice.page, "Great");
    expect(await violations(alice.page)).toEqual([]);
    await alice.page.getByRole("menuitem", { name: text(alice.page, "menu.react") }).click();
    await alice.page.getByRole("dialog", { name: text(alice.page, "picker.label") }).waitFor();
    expect(await violations(alice.page)).toEqual([]);
    await alice.page.keyboard.press("Escape");
    // A person's menu in Online, the settings panel, the ban dialog.
    await personButton(alice.page, "Bob").click();
    await alice.page.getByRole("menu").waitFor();
    expect(await violations(alice.page)).toEqual([]);
    await alice.page.keyboard.press("Escape");
    await openSettings(alice.page);
    expect(await violations(alice.page)).toEqual([]);
    await alice.page.keyboard.press("Escape");
    await actOn(alice.page, "Bob", "people.ban");
    await alice.page.getByRole("dialog", { name: text(alice.page, "ban.heading", { name: "Bob" }) }).waitFor();
    expect(await violations(alice.page)).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("finds nothing in the view of an app user whose token expired, light and dark", async () => {
    const { context, page } = await openPage(fixture.browser, locale);
    await page.goto(`${fixture.server.url}/chat/${uniqueRoom("a11y-token")}#token=${await sign({ expiresIn: -3600, issuedAgo: 7200 })}`);
    await page
      .getByRole("alert")
      .getByText(text(page, "token.refused", { reason: text(page, "error.token_expired") }), { exact: true })
      .waitFor();
    expect(await violations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  it("finds nothing in a banned person's view, light and dark", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice", { locale });
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob", { locale });
    await remove(alice.page, "Bob", "ban", { reason: "spam" });
    await removalNotice(bob.page).waitFor();
    expect(await violations(bob.page)).toEqual([]);
    await bob.page.emulateMedia({ colorScheme: "dark" });
    expect(await violations(bob.page)).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });
});

describe("keyboard", () => {
  it("reaches every control of the room with Tab, each with a name", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("tab"), "Alice");
    await alice.page.locator("body").focus();
    const reached: { id: string; name: string }[] = [];
    for (let i = 0; i < 12; i++) {
      await alice.page.keyboard.press("Tab");
      reached.push(
        await alice.page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
          return { id: el.id || el.tagName, name: (el.getAttribute("aria-label") ?? label ?? el.textContent ?? "").trim() };
        }),
      );
    }
    const ids = reached.map((r) => r.id);
    for (const id of ["language", "notify", "copy-link", "log", "message", "send"]) expect(ids).toContain(id);
    for (const { id, name } of reached.filter((r) => r.id !== "BODY")) expect(name, id).not.toBe("");
    await leave(alice);
  });
});
