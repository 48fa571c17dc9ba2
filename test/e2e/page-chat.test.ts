/**
 * The chat page in a real browser against `wrangler dev`: two people talk, see each other online
 * and typing; a room is private to its name; a newcomer gets the history.
 */
import { describe, expect, it } from "vitest";
import { join, leave, logTexts, say, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

// Stats every second, so the server's periodic push shows within a test.
const fixture = usePageFixture({ vars: { STATS_INTERVAL_SECONDS: 1 } });

describe("chat page", () => {
  it("lets two people chat in one room", async () => {
    const room = uniqueRoom("two");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");

    await say(alice.page, "Hi Bob!");
    await waitForMessage(bob.page, "Hi Bob!");
    await say(bob.page, "Hello Alice");
    await waitForMessage(alice.page, "Hello Alice");

    // Enter sent it and focus stayed in the message box.
    const focused = await alice.page.evaluate(() => document.activeElement?.id);
    expect(focused).toBe("message");
    await waitForMessage(alice.page, "Hi Bob!");
    expect(await logTexts(alice.page)).toEqual(["Hi Bob!", "Hello Alice"]);
    expect(await logTexts(bob.page)).toEqual(["Hi Bob!", "Hello Alice"]);

    // Own messages are told apart; each message shows its sender and a local time.
    const own = alice.page.getByRole("log").locator("li.own .text");
    expect(await own.allTextContents()).toEqual(["Hi Bob!"]);
    const bobsOnAlice = alice.page.getByRole("log").locator("li:not(.own)");
    expect(await bobsOnAlice.locator(".author").textContent()).toBe("Bob");
    expect(await bobsOnAlice.locator("time").textContent()).toMatch(/\d{1,2}[:.]\d{2}/);

    expect([...alice.errors, ...bob.errors]).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("shows who is online and who is typing", async () => {
    const room = uniqueRoom("presence");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const online = alice.page.getByRole("list", { name: /Online/ });
    await online.getByText("Alice").waitFor();

    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await online.getByText("Bob").waitFor();
    expect(await online.getByRole("listitem").count()).toBe(2);

    await bob.page.getByRole("textbox", { name: /Message/ }).pressSequentially("I am wri", { delay: 30 });
    await alice.page.getByText("Bob is typing…").waitFor();

    await leave(bob);
    await online.getByText("Bob").waitFor({ state: "detached" });
    expect(await online.getByRole("listitem").count()).toBe(1);
    await alice.page.getByText("Bob is typing…").waitFor({ state: "detached" });
    await leave(alice);
  });

  it("keeps a room private: someone in another room sees nothing", async () => {
    const room = uniqueRoom("private");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    const carol = await join(fixture.browser, fixture.server.url, uniqueRoom("elsewhere"), "Carol");

    await say(alice.page, "only for this room");
    await waitForMessage(bob.page, "only for this room");
    await say(carol.page, "anyone here?");
    await waitForMessage(carol.page, "anyone here?");
    await waitForMessage(alice.page, "only for this room");

    expect(await logTexts(carol.page)).toEqual(["anyone here?"]);
    expect(await logTexts(bob.page)).toEqual(["only for this room"]);
    const carolsOnline = carol.page.getByRole("list", { name: /Online/ });
    expect(await carolsOnline.locator(".name").allTextContents()).toEqual(["Carol"]);
    await Promise.all([leave(alice), leave(bob), leave(carol)]);
  });

  it("shows a newcomer the history", async () => {
    const room = uniqueRoom("history");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    for (const text of ["first", "second", "third"]) await say(alice.page, text);
    await waitForMessage(alice.page, "third");

    const dave = await join(fixture.browser, fixture.server.url, room, "Dave");
    await waitForMessage(dave.page, "third");
    expect(await logTexts(dave.page)).toEqual(["first", "second", "third"]);
    expect(await dave.page.getByRole("log").locator("li .author").first().textContent()).toBe("Alice");
    await Promise.all([leave(alice), leave(dave)]);
  });

  it("remembers the display name for the next visit", async () => {
    const room = uniqueRoom("remember");
    const erin = await join(fixture.browser, fixture.server.url, room, "Erin");
    await erin.page.reload();
    // No name prompt this time: straight to the room, under the remembered name.
    await erin.page
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor();
    expect(await erin.page.getByRole("textbox", { name: /name/i }).isVisible()).toBe(false);
    await say(erin.page, "back again");
    await waitForMessage(erin.page, "back again");
    expect(await erin.page.getByRole("log").locator("li.own .author").last().textContent()).toBe("Erin");
    await leave(erin);
  });

  it("asks for a name in a modal that Escape cannot dismiss and a bad name cannot pass", async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}/chat/${uniqueRoom("prompt")}`);
    const nameField = page.getByRole("textbox", { name: /name/i });
    await nameField.press("Escape");
    expect(await page.getByRole("dialog").isVisible()).toBe(true);
    expect(await page.getByRole("status").textContent()).toBe("Not connected");
    await nameField.fill("   ");
    await nameField.press("Enter");
    await page
      .getByRole("alert")
      .filter({ hasText: /another name/ })
      .waitFor();
    await nameField.fill("Zed");
    await nameField.press("Enter");
    await page
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor();
    expect(await page.getByRole("dialog").isVisible()).toBe(false);
    await context.close();
  });

  it("shows the room's activity pushed by the server", async () => {
    const frank = await join(fixture.browser, fixture.server.url, uniqueRoom("stats"), "Frank");
    await say(frank.page, "counted");
    await frank.page.getByText("1 message in the last minute").waitFor();
    await leave(frank);
  });
});
