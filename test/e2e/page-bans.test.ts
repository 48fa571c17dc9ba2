/**
 * The list of bans on the page, in Chromium against `wrangler dev`: the owner opens it from the
 * settings panel and sees who is banned (name and short uid), why, until when and by whom, lifts
 * a ban with the keyboard alone, and the person can come back; the open list follows bans and
 * unbans taken elsewhere, and drops a timed ban when it ends, without asking the room again;
 * axe finds nothing in it (light and dark, desktop and phone), and it speaks Chinese to a Chinese browser.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createRoom, online, remove, uidOf } from "./moderation-support";
import { join, leave, type Person, PHONE, say, text, usePageFixture, waitForMessage, waitLive } from "./page-support";

const MODERATION_TOKEN = "page-bans-token";
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const fixture = usePageFixture({ vars: { MODERATION_TOKEN } });

/** The list of bans dialog. */
function bansDialog(page: Page): Locator {
  return page.getByRole("dialog", { name: text(page, "bans.heading") });
}

/** The row of `name` in the list. */
function row(page: Page, name: string): Locator {
  return bansDialog(page).getByRole("listitem").filter({ hasText: name });
}

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((node) => node === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

function focused(target: Locator): Promise<boolean> {
  return target.evaluate((node) => node === document.activeElement);
}

/** Opens the settings panel and, from it, the list of bans, with the keyboard. */
async function openBans(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: text(page, "room.settings") }).focus();
  await page.keyboard.press("Enter");
  const settings = page.getByRole("dialog", { name: text(page, "room.settings") });
  await settings.waitFor();
  await tabTo(page, settings.getByRole("button", { name: text(page, "settings.bans") }));
  await page.keyboard.press("Enter");
  const dialog = bansDialog(page);
  await dialog.waitFor();
  return dialog;
}

/** An operator API action on the room. */
async function operate(room: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${fixture.server.url}/api/rooms/${room}/moderation`, {
    method: "POST",
    headers: { authorization: `Bearer ${MODERATION_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function violations(page: Page): Promise<{ id: string; targets: string[] }[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } };
    const results = await axe.run();
    return results.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

/** A room Alice owns, where Bob wrote and was banned by her for an hour, with a reason. */
async function bobBanned(locale: "en-US" | "zh-CN" = "en-US"): Promise<{ alice: Person & { room: string }; bob: Person }> {
  const alice = await createRoom(fixture.browser, fixture.server.url, "Alice", { locale });
  const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob", { locale });
  await say(bob.page, "buy now");
  await waitForMessage(alice.page, "buy now");
  await remove(alice.page, "Bob", "ban", { reason: "spamming links" });
  await online(alice.page).getByText("Bob").waitFor({ state: "detached" });
  return { alice, bob };
}

describe("the list of bans", () => {
  it("shows who, why, until when and by whom; Unban with the keyboard alone lets the person back", async () => {
    const { alice, bob } = await bobBanned();
    const { page } = alice;
    const dialog = await openBans(page);
    expect(await focused(dialog.getByRole("heading", { name: text(page, "bans.heading") }))).toBe(true);
    const bob1 = row(page, "Bob");
    await bob1.waitFor();
    const uid = await uidOf(page, "buy now");
    const shown = (await bob1.textContent()) ?? "";
    expect(shown).toContain(`${uid.slice(0, 8)}…`);
    expect(shown).toContain(text(page, "bans.reason", { reason: "spamming links" }));
    expect(shown).toMatch(/Until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}/);
    expect(shown).toMatch(/Banned by Alice on /);
    await dialog
      .getByRole("status")
      .filter({ hasText: text(page, "bans.count", { count: 1 }) })
      .waitFor();
    expect(await violations(page)).toEqual([]);

    // Tab from the heading reaches the row's Unban; Enter lifts the ban.
    const unban = bob1.getByRole("button", { name: text(page, "bans.unbanName", { name: "Bob" }) });
    await tabTo(page, unban, 3);
    await page.keyboard.press("Enter");
    await bob1.waitFor({ state: "detached" });
    await dialog
      .getByRole("status")
      .filter({ hasText: `${text(page, "bans.lifted", { name: "Bob" })} ${text(page, "bans.none")}` })
      .waitFor();
    expect(await focused(dialog.getByRole("button", { name: text(page, "bans.close") }))).toBe(true);
    expect(await violations(page)).toEqual([]);

    // Escape goes back to the settings panel, on the button that opened the list; again, to the room.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focused(page.getByRole("button", { name: text(page, "settings.bans") }))).toBe(true);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: text(page, "room.settings") }).waitFor({ state: "hidden" });

    await bob.page.reload();
    await waitLive(bob.page);
    await say(bob.page, "sorry");
    await waitForMessage(alice.page, "sorry");
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("follows bans and unbans taken elsewhere while open, and drops a timed ban when it ends", async () => {
    // Every frame the owner's page sends: the list is asked for once, however it changes after.
    const sent: string[] = [];
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice", {
      setup: async (page) => void page.on("websocket", (ws) => ws.on("framesent", (frame) => sent.push(String(frame.payload)))),
    });
    const carol = await join(fixture.browser, fixture.server.url, alice.room, "Carol");
    const dave = await join(fixture.browser, fixture.server.url, alice.room, "Dave");
    await say(carol.page, "carol here");
    await say(dave.page, "dave here");
    await waitForMessage(alice.page, "dave here");
    const [carolUid, daveUid] = [await uidOf(alice.page, "carol here"), await uidOf(alice.page, "dave here")];
    const { page } = alice;
    const dialog = await openBans(page);
    await dialog
      .getByRole("status")
      .filter({ hasText: text(page, "bans.none") })
      .waitFor();

    await operate(alice.room, { action: "ban", uid: carolUid, by: "Safety" });
    await operate(alice.room, { action: "ban", uid: daveUid, seconds: 4, reason: "cool off" });
    await row(page, "Dave")
      .getByText(text(page, "bans.reason", { reason: "cool off" }))
      .waitFor();
    await row(page, "Carol").getByText(text(page, "bans.forever")).waitFor();
    expect(await row(page, "Carol").textContent()).toContain(text(page, "bans.by", { by: "Safety", when: "" }).trim());
    // Newest first.
    expect(await dialog.getByRole("listitem").allTextContents()).toEqual([expect.stringContaining("Dave"), expect.stringContaining("Carol")]);

    await row(page, "Dave").waitFor({ state: "detached", timeout: 15_000 });
    await operate(alice.room, { action: "unban", uid: carolUid });
    await row(page, "Carol").waitFor({ state: "detached" });
    await dialog
      .getByRole("status")
      .filter({ hasText: text(page, "bans.none") })
      .waitFor();
    expect(sent.filter((frame) => frame.includes('"type":"bans"'))).toHaveLength(1);
    await Promise.all([leave(alice), leave(carol), leave(dave)]);
  });

  it("speaks Chinese to a Chinese browser, and axe finds nothing there, light and dark, desktop and phone", async () => {
    const { alice, bob } = await bobBanned("zh-CN");
    const { page } = alice;
    const dialog = await openBans(page);
    expect(await dialog.getByRole("heading").textContent()).toBe("封禁列表");
    const bob1 = row(page, "Bob");
    await bob1.getByText("原因：spamming links").waitFor();
    await bob1.getByText(/^截止到 /).waitFor();
    await bob1.getByText(/^由 Alice 于 .+ 封禁$/).waitFor();
    await bob1.getByRole("button", { name: "解除封禁：Bob" }).waitFor();
    await dialog.getByRole("status").filter({ hasText: "共有 1 人被封禁。" }).waitFor();
    expect(await dialog.getByRole("button", { name: "关闭" }).isVisible()).toBe(true);
    expect(await violations(page)).toEqual([]);
    // Dark, on a phone.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize(PHONE);
    expect(await violations(page)).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });
});
