/**
 * The landing page, the phone and desktop layouts, following the log, and the screenshots
 * (desktop in light mode, phone in dark mode). They go to test-results/ on every run, and to
 * docs/screenshot-*.png with UPDATE_SCREENSHOTS=1, so a plain `npm test` leaves the tree clean.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { isRoomName } from "../../src/names";
import { DESKTOP, PHONE, join, leave, say, uniqueRoom, waitForMessage, usePageFixture } from "./page-support";

const PUSH_TOKEN = "layout-test-token";
const SHOTS = new URL(process.env.UPDATE_SCREENSHOTS === "1" ? "../../docs/" : "../../test-results/", import.meta.url).pathname;

const fixture = usePageFixture({ vars: { PUSH_TOKEN } });

async function pushBot(room: string, from: string, text: string): Promise<void> {
  const response = await fetch(`${fixture.server.url}/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${PUSH_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ from, text }),
  });
  expect(response.status).toBe(201);
}

function noHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe("landing page", () => {
  it("creates a room with an unguessable name and opens it", async () => {
    const context = await fixture.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByRole("button", { name: /Create a new room/ }).click();
    await page.waitForURL(/\/chat\//);
    const room = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
    // 16 random bytes in base64url: 22 characters, 128 bits.
    expect(room).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(isRoomName(room)).toBe(true);
    await page.getByRole("textbox", { name: /name/i }).waitFor();
    await context.close();
  });

  it("opens a room by name or pasted link with the keyboard", async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    const field = page.getByRole("textbox", { name: /Room name/ });
    await field.fill(".hidden");
    await field.press("Enter");
    await page.getByRole("alert").filter({ hasText: /letters, digits/ }).waitFor();
    await field.fill(`${fixture.server.url}/chat/team-room`);
    await field.press("Enter");
    await page.waitForURL(/\/chat\/team-room$/);
    await context.close();
  });
});

describe("room layout", () => {
  it("fits a 390 px phone without horizontal scroll", async () => {
    const room = uniqueRoom("phone");
    const phone = await join(fixture.browser, fixture.server.url, room, "A rather long display name!!", { viewport: PHONE });
    await say(phone.page, `${"unbroken".repeat(40)} and https://example.com/${"a".repeat(120)}`);
    await say(phone.page, "short");
    await waitForMessage(phone.page, "short");
    expect(await noHorizontalScroll(phone.page)).toBe(true);
    // Everything needed to chat is on screen: the composer and the send button.
    expect(await phone.page.getByRole("button", { name: /Send/ }).isVisible()).toBe(true);
    expect(await phone.page.getByRole("list", { name: /Online/ }).isVisible()).toBe(true);
    await leave(phone);
  });

  it("follows new messages, but shows a marker instead when the reader has scrolled up", async () => {
    const room = uniqueRoom("scroll");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob", { viewport: { width: 800, height: 500 } });
    for (let i = 1; i <= 25; i++) await say(alice.page, `message ${i}`);
    await waitForMessage(bob.page, "message 25");
    const log = bob.page.getByRole("log");
    const atBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight <= 48);
    expect(await atBottom()).toBe(true);

    await log.evaluate((el) => (el.scrollTop = 0));
    await say(alice.page, "news while reading");
    await waitForMessage(bob.page, "news while reading");
    const marker = bob.page.getByRole("button", { name: /New messages/ });
    await marker.waitFor();
    expect(await log.evaluate((el) => el.scrollTop)).toBe(0);

    await marker.click();
    await marker.waitFor({ state: "hidden" });
    expect(await atBottom()).toBe(true);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("marks bot messages with a badge", async () => {
    const room = uniqueRoom("bot");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    await pushBot(room, "Deploy", "Build #42 is live");
    await waitForMessage(alice.page, "Build #42 is live");
    const item = alice.page.getByRole("log").getByRole("listitem").filter({ hasText: "Build #42 is live" });
    expect(await item.locator(".badge").textContent()).toBe("bot");
    await leave(alice);
  });
});

describe("screenshots", () => {
  it("saves a desktop (light) and a phone (dark) view", async () => {
    const room = "design-review";
    const maya = await join(fixture.browser, fixture.server.url, room, "Maya", { viewport: DESKTOP });
    const theo = await join(fixture.browser, fixture.server.url, room, "Theo");
    const lena = await join(fixture.browser, fixture.server.url, room, "Lena");
    await say(theo.page, "Morning! Did everyone see the new onboarding mockups?");
    await waitForMessage(maya.page, "Morning! Did everyone see the new onboarding mockups?");
    await say(maya.page, "Yes, the second screen is much clearer now.");
    await waitForMessage(lena.page, "Yes, the second screen is much clearer now.");
    await say(lena.page, "Agreed. Can we keep the progress dots though?");
    await say(lena.page, "They help on small screens.");
    await waitForMessage(maya.page, "They help on small screens.");
    await pushBot(room, "Deploy", "Preview for #218 is ready: https://preview.example.com/218");
    await waitForMessage(maya.page, "Preview for #218 is ready: https://preview.example.com/218");
    await say(theo.page, "Nice, opening the preview now.");
    await waitForMessage(maya.page, "Nice, opening the preview now.");
    // The server relays at most one typing frame a second per person.
    await theo.page.waitForTimeout(1100);
    await theo.page.getByRole("textbox", { name: /Message/ }).pressSequentially("Looks", { delay: 40 });
    await maya.page.getByText("Theo is typing…").waitFor();
    await maya.page.screenshot({ path: `${SHOTS}screenshot-desktop.png` });

    const phone = await join(fixture.browser, fixture.server.url, room, "Sam", { viewport: PHONE, colorScheme: "dark" });
    await waitForMessage(phone.page, "Nice, opening the preview now.");
    await say(phone.page, "Joining late, catching up now");
    await waitForMessage(phone.page, "Joining late, catching up now");
    await phone.page.screenshot({ path: `${SHOTS}screenshot-phone.png` });
    expect(await noHorizontalScroll(phone.page)).toBe(true);
    await Promise.all([maya, theo, lena, phone].map(leave));
  });
});
