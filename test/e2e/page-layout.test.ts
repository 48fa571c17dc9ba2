/**
 * The landing page, the phone and desktop layouts, following the log, and the screenshots
 * (desktop in light mode, in English and Chinese, with a reply and reactions; phone in dark mode).
 * They go to test-results/ on every run, and to docs/screenshot-*.png with UPDATE_SCREENSHOTS=1,
 * so a plain `npm test` leaves the tree clean.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { isRoomName } from "../../src/wire/names";
import { choose, reactWith, waitForChips } from "./message-support";
import { DESKTOP, join, type Locale, leave, messageBox, type Person, PHONE, say, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

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
    await page
      .getByRole("alert")
      .filter({ hasText: /letters, digits/ })
      .waitFor();
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

/**
 * One line of a scripted conversation: a person in the room (replying to the line with the text
 * `replyTo`, if set), or a bot through the push API. `reactions` are who reacts to it with what.
 */
type Line = { from: string; text: string; bot?: true; replyTo?: string; reactions?: [from: string, emoji: string][] };

/**
 * Plays `lines` in `room` for a screenshot: `viewer` (desktop, light) and every other speaker join
 * in `locale`; the last speaker then starts typing. Returns everyone's pages, the viewer's first.
 */
async function conversation(room: string, locale: Locale, viewer: string, lines: Line[]): Promise<Person[]> {
  const speakers = [...new Set(lines.filter((l) => !l.bot && l.from !== viewer).map((l) => l.from))];
  const people = [await join(fixture.browser, fixture.server.url, room, viewer, { viewport: DESKTOP, locale })];
  for (const name of speakers) people.push(await join(fixture.browser, fixture.server.url, room, name, { locale }));
  const page = (name: string) => people.find((p) => p.name === name)!.page;
  for (const line of lines) {
    if (line.replyTo !== undefined) await choose(page(line.from), line.replyTo, "menu.reply");
    if (line.bot) await pushBot(room, line.from, line.text);
    else await say(page(line.from), line.text);
    await waitForMessage(page(viewer), line.text);
  }
  for (const line of lines) {
    for (const [from, emoji] of line.reactions ?? []) await reactWith(page(from), line.text, emoji);
    if (line.reactions) await waitForChips(page(viewer), line.text, chipsOf(line.reactions, viewer));
  }
  // As a reader would leave it: no message under the pointer or focused, so no menu button shows.
  await page(viewer).mouse.move(0, 0);
  await messageBox(page(viewer)).focus();
  const typist = lines.filter((l) => !l.bot).at(-1)!.from;
  // The server relays at most one typing frame a second per person.
  await page(typist).waitForTimeout(1100);
  await messageBox(page(typist)).pressSequentially("Lo", { delay: 40 });
  await page(viewer)
    .getByText(text(page(viewer), "typing.names", { count: 1, names: typist }))
    .waitFor();
  return people;
}

/** The chips `reactions` make, as `viewer` sees them (message-support.ts's `chips`). */
function chipsOf(reactions: [from: string, emoji: string][], viewer: string): string[] {
  const emoji = [...new Set(reactions.map(([, e]) => e))];
  return emoji.map((e) => {
    const by = reactions.filter(([, x]) => x === e).map(([from]) => from);
    return `${e} ${by.length}${by.includes(viewer) ? "*" : ""}`;
  });
}

describe("screenshots", () => {
  it("saves a desktop (light) and a phone (dark) view", async () => {
    const room = "design-review";
    const people = await conversation(room, "en-US", "Maya", [
      { from: "Theo", text: "Morning! Did everyone see the new onboarding mockups?" },
      {
        from: "Maya",
        text: "Yes, the second screen is much clearer now.",
        reactions: [
          ["Theo", "👍"],
          ["Lena", "👍"],
        ],
      },
      {
        from: "Lena",
        text: "Agreed. Can we keep the progress dots though?\nThey help on small screens.",
        replyTo: "Yes, the second screen is much clearer now.",
      },
      { from: "Deploy", text: "Preview for #218 is ready: https://preview.example.com/218", bot: true, reactions: [["Maya", "🎉"]] },
      { from: "Theo", text: "@Maya could you check the preview on your phone?" },
    ]);
    await people[0]!.page.screenshot({ path: `${SHOTS}screenshot-desktop.png` });

    const phone = await join(fixture.browser, fixture.server.url, room, "Sam", { viewport: PHONE, colorScheme: "dark" });
    await waitForMessage(phone.page, "@Maya could you check the preview on your phone?");
    await say(phone.page, "Joining late, catching up now");
    await waitForMessage(phone.page, "Joining late, catching up now");
    await phone.page.screenshot({ path: `${SHOTS}screenshot-phone.png` });
    expect(await noHorizontalScroll(phone.page)).toBe(true);
    await Promise.all([...people, phone].map(leave));
  });

  it("saves a desktop view in Chinese", async () => {
    const people = await conversation("design-review-zh", "zh-CN", "小美", [
      { from: "阿杰", text: "早上好！大家看过新的引导页设计稿了吗？" },
      {
        from: "小美",
        text: "看过了，第二屏清楚多了。",
        reactions: [
          ["阿杰", "👍"],
          ["莉娜", "👍"],
        ],
      },
      { from: "莉娜", text: "同意。不过进度圆点能保留吗？\n在小屏幕上很有用。", replyTo: "看过了，第二屏清楚多了。" },
      { from: "Deploy", text: "#218 的预览已就绪：https://preview.example.com/218", bot: true, reactions: [["小美", "🎉"]] },
      { from: "阿杰", text: "@小美 能用手机看一下预览吗？" },
    ]);
    await people[0]!.page.screenshot({ path: `${SHOTS}screenshot-desktop-zh.png` });
    await Promise.all(people.map(leave));
  });
});
