/**
 * Moderation on the page, in Chromium against `wrangler dev`: the creator of a room owns it; the
 * owner and moderators act from each message's menu and from Online, and nobody is offered an
 * action against someone of their own rank or above; a ban tells the banned person why and until
 * when, and holds after a reload without a reconnect loop; a kicked person comes back only by
 * clicking; the operator API's short ban ends on the page by itself.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { choose, menuItems, messageItem } from "./message-support";
import {
  actOn,
  countSockets,
  createRoom,
  notices,
  online,
  personButton,
  personMenuItems,
  removalNotice,
  remove,
  uidOf,
  waitForNotice,
} from "./moderation-support";
import { join, leave, messageBox, say, text, usePageFixture, waitForMessage, waitLive } from "./page-support";

const MODERATION_TOKEN = "page-moderation-token";

async function topicOf(page: Page, topic: string): Promise<void> {
  await page.locator("#room-topic").filter({ hasText: topic }).waitFor();
}

/** No message box to write in: the removal notice stands in its place, and the box is disabled. */
async function cannotWrite(page: Page): Promise<void> {
  expect(await messageBox(page).count()).toBe(0);
  expect(await page.locator("#message").isDisabled()).toBe(true);
}
const fixture = usePageFixture({ vars: { MODERATION_TOKEN } });

describe("roles", () => {
  it("make the creator of a room from the landing page its owner, for good, and nobody else", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    expect(new URL(alice.page.url()).hash).toBe("");
    await waitForNotice(alice.page, "notice.claim", { by: "Alice" });
    expect(await alice.page.getByRole("button", { name: text(alice.page, "room.settings") }).isVisible()).toBe(true);

    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    expect(await bob.page.getByText(text(bob.page, "room.owner")).count()).toBe(0);
    expect(await bob.page.getByRole("button", { name: text(bob.page, "room.settings") }).isHidden()).toBe(true);
    // Everyone sees who owns the room; only the owner has actions, and not on herself.
    await online(bob.page).getByRole("listitem").filter({ hasText: "Alice" }).getByText(text(bob.page, "role.owner")).waitFor();
    expect(await online(bob.page).getByRole("button").count()).toBe(0);
    await personButton(alice.page, "Bob").waitFor();
    expect(await online(alice.page).getByRole("button").count()).toBe(1);

    // A reload is an ordinary visit: still the owner, and no second claim.
    await alice.page.reload();
    await waitLive(alice.page);
    await alice.page.getByText(text(alice.page, "room.owner"), { exact: true }).waitFor();
    expect(await notices(alice.page).count()).toBe(0);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("let the owner promote a moderator, who may act against members but not the owner", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    const carol = await join(fixture.browser, fixture.server.url, alice.room, "Carol");
    const owners = [text(alice.page, "people.kick"), text(alice.page, "people.ban")];
    expect(await personMenuItems(alice.page, "Bob")).toEqual([...owners, text(alice.page, "people.promote")]);

    await actOn(alice.page, "Bob", "people.promote");
    await waitForNotice(carol.page, "notice.promote", { by: "Alice", name: "Bob" });
    await bob.page.getByText(text(bob.page, "room.moderator"), { exact: true }).waitFor();
    expect(await personMenuItems(alice.page, "Bob")).toEqual([...owners, text(alice.page, "people.demote")]);
    // A moderator: Kick and Ban on members, nothing on the owner.
    expect(await personMenuItems(bob.page, "Carol")).toEqual(owners);
    expect(await personButton(bob.page, "Alice").count()).toBe(0);

    await actOn(alice.page, "Bob", "people.demote");
    await waitForNotice(bob.page, "notice.demote", { by: "Alice", name: "Bob" });
    await personButton(bob.page, "Carol").waitFor({ state: "detached" });
    expect(await bob.page.getByText(text(bob.page, "room.moderator")).isHidden()).toBe(true);
    await Promise.all([leave(alice), leave(bob), leave(carol)]);
  });

  it("let a moderator delete someone's message, and everyone sees it was a moderator", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    const carol = await join(fixture.browser, fixture.server.url, alice.room, "Carol");
    await actOn(alice.page, "Bob", "people.promote");
    await bob.page.getByText(text(bob.page, "room.moderator"), { exact: true }).waitFor();
    await say(alice.page, "Welcome, all");
    await say(carol.page, "Cheap watches at spam.example");
    await waitForMessage(bob.page, "Cheap watches at spam.example");
    await waitForMessage(bob.page, "Welcome, all");

    // Delete on the member's message; none on the owner's.
    const everyone = [text(bob.page, "menu.reply"), text(bob.page, "menu.react")];
    expect(await menuItems(bob.page, "Welcome, all")).toEqual(everyone);
    expect(await menuItems(bob.page, "Cheap watches at spam.example")).toEqual([...everyone, text(bob.page, "menu.delete")]);
    expect(await menuItems(carol.page, "Welcome, all")).toEqual(everyone);
    await choose(bob.page, "Cheap watches at spam.example", "menu.delete");
    await bob.page
      .getByRole("dialog", { name: text(bob.page, "delete.heading") })
      .getByRole("button", { name: text(bob.page, "delete.confirm") })
      .click();

    for (const person of [alice, bob, carol]) {
      await waitForNotice(person.page, "notice.delete", { by: "Bob", name: "Carol" });
      await waitForMessage(person.page, text(person.page, "message.deleted"));
    }
    expect(await messageItem(carol.page, text(carol.page, "message.deleted")).count()).toBe(1);
    expect([...alice.errors, ...bob.errors, ...carol.errors]).toEqual([]);
    await Promise.all([leave(alice), leave(bob), leave(carol)]);
  });
});

describe("the owner's controls", () => {
  it("work with the keyboard alone", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    const { page } = alice;
    // The settings panel: its button, then the topic field; Enter saves.
    await page.getByRole("button", { name: text(page, "room.settings") }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.type("Standup at ten");
    await page.keyboard.press("Enter");
    await topicOf(bob.page, "Standup at ten");
    // Bob's menu in Online: the first item takes the focus, the arrows move it, Enter chooses.
    await personButton(page, "Bob").focus();
    await page.keyboard.press("Enter");
    // Under load the menu opens a moment after the key: wait for the focus rather than assume it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(text(page, "people.kick"));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    // The ban dialog: its length first, then the reason; Enter in the reason bans.
    const dialog = page.getByRole("dialog", { name: text(page, "ban.heading", { name: "Bob" }) });
    await expect.poll(() => dialog.getByRole("combobox", { name: text(page, "ban.length") }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Tab");
    await page.keyboard.type("flooding");
    await page.keyboard.press("Enter");
    await removalNotice(bob.page)
      .getByText(text(bob.page, "removal.reason", { reason: "flooding" }))
      .waitFor();
    // Bob's item went with him; the focus stays in Online.
    await online(page).getByText("Bob").waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("online");
    await Promise.all([leave(alice), leave(bob)]);
  });
});

describe("a ban", () => {
  it("tells the banned person who, why and until when; after a reload too, without a reconnect loop", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await say(bob.page, "first!");
    await waitForMessage(alice.page, "first!");
    await remove(alice.page, "Bob", "ban", { reason: "spamming links" });

    const banned = removalNotice(bob.page);
    await banned.getByText(text(bob.page, "removal.bannedBy", { name: "Alice" })).waitFor();
    await banned.getByText(text(bob.page, "removal.reason", { reason: "spamming links" })).waitFor();
    expect(await banned.textContent()).toContain("(in 1 hour)");
    await bob.page
      .getByRole("status")
      .filter({ hasText: text(bob.page, "status.banned") })
      .waitFor();
    await cannotWrite(bob.page);
    expect(await banned.getByRole("button", { name: text(bob.page, "removal.rejoin") }).isHidden()).toBe(true);
    await notices(alice.page)
      .filter({ hasText: text(alice.page, "notice.reason", { reason: "spamming links" }) })
      .waitFor();
    await online(alice.page).getByText("Bob").waitFor({ state: "detached" });

    const sockets = countSockets(bob.page);
    await bob.page.reload();
    await bob.page
      .getByRole("status")
      .filter({ hasText: text(bob.page, "status.banned") })
      .waitFor();
    await removalNotice(bob.page)
      .getByText(text(bob.page, "removal.reason", { reason: "spamming links" }))
      .waitFor();
    await cannotWrite(bob.page);
    // Long enough for several backoff attempts, had there been any.
    await bob.page.waitForTimeout(4000);
    expect(sockets()).toBe(1);
    expect(await alice.page.getByRole("log").locator("li[data-id]").count()).toBe(1);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("by the operator for a few seconds ends on the page by itself, and Rejoin brings the person back", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await say(bob.page, "hello");
    const response = await fetch(`${fixture.server.url}/api/rooms/${alice.room}/moderation`, {
      method: "POST",
      headers: { authorization: `Bearer ${MODERATION_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ action: "ban", uid: await uidOf(alice.page, "hello"), seconds: 3, by: "Safety" }),
    });
    expect(response.status).toBe(200);
    await removalNotice(bob.page)
      .getByText(text(bob.page, "removal.bannedBy", { name: "Safety" }))
      .waitFor();
    await notices(alice.page).filter({ hasText: "Safety" }).filter({ hasText: "Bob" }).waitFor();
    const rejoin = bob.page.getByRole("button", { name: text(bob.page, "removal.rejoin") });
    await rejoin.waitFor({ timeout: 15_000 });
    await removalNotice(bob.page).getByText(text(bob.page, "removal.ended")).waitFor();
    await rejoin.click();
    await waitLive(bob.page);
    await say(bob.page, "back again");
    await waitForMessage(alice.page, "back again");
    await Promise.all([leave(alice), leave(bob)]);
  });
});

describe("a kick", () => {
  it("says who and why, and the person comes back only by clicking Rejoin", async () => {
    const alice = await createRoom(fixture.browser, fixture.server.url, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, alice.room, "Bob");
    await remove(alice.page, "Bob", "kick", { reason: "cool off" });
    await waitForNotice(alice.page, "notice.kick", { by: "Alice", name: "Bob" });

    const kicked = removalNotice(bob.page);
    await kicked.getByText(text(bob.page, "removal.kickedBy", { name: "Alice" })).waitFor();
    expect(await kicked.textContent()).toContain(text(bob.page, "removal.reason", { reason: "cool off" }));
    await bob.page
      .getByRole("status")
      .filter({ hasText: text(bob.page, "status.kicked") })
      .waitFor();
    const sockets = countSockets(bob.page);
    await bob.page.waitForTimeout(3000);
    expect(sockets()).toBe(0);

    await kicked.getByRole("button", { name: text(bob.page, "removal.rejoin") }).click();
    await waitLive(bob.page);
    expect(await kicked.isHidden()).toBe(true);
    await say(bob.page, "sorry");
    await waitForMessage(alice.page, "sorry");
    await online(alice.page).getByText("Bob").waitFor();
    await Promise.all([leave(alice), leave(bob)]);
  });
});
