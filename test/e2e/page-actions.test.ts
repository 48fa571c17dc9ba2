/**
 * Message actions in Chromium against `wrangler dev`: two people reply, react, edit and delete
 * through each message's menu, and see each other's changes; authorship survives a reload; quotes
 * lead to their original; hostile text in edits and replies stays text.
 */
import { describe, expect, it } from "vitest";
import { chips, choose, menuItems, messageItem, reactWith, waitForChips } from "./message-support";
import { join, leave, logTexts, messageBox, say, text, uniqueRoom, usePageFixture, waitForMessage, waitLive } from "./page-support";

// A short welcome history, so a newcomer can meet a reply whose original is not loaded.
const fixture = usePageFixture({ vars: { WELCOME_HISTORY: 4 } });

describe("message actions", () => {
  it("let two people reply, react, edit and delete, each seeing the other's changes", async () => {
    const room = uniqueRoom("actions");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await say(alice.page, "Lunch at noon?");
    await waitForMessage(bob.page, "Lunch at noon?");

    // Bob replies: the composer says to what, and the reply quotes it.
    await choose(bob.page, "Lunch at noon?", "menu.reply");
    await bob.page.getByText(text(bob.page, "reply.replyingTo", { name: "Alice", text: "Lunch at noon?" })).waitFor();
    await say(bob.page, "Sounds good");
    await waitForMessage(alice.page, "Sounds good");
    const quote = messageItem(alice.page, "Sounds good").locator(".quote");
    expect(await quote.innerText()).toMatch(/Alice\s*Lunch at noon\?/);
    expect(await bob.page.locator("#reply-bar").isHidden()).toBe(true);

    // Bob reacts; Alice joins his reaction by clicking its chip.
    await reactWith(bob.page, "Lunch at noon?", "👍");
    await waitForChips(alice.page, "Lunch at noon?", ["👍 1"]);
    await waitForChips(bob.page, "Lunch at noon?", ["👍 1*"]);
    await messageItem(alice.page, "Lunch at noon?")
      .getByRole("button", { name: text(alice.page, "reactions.chip", { emoji: "👍", count: 1 }) })
      .click();
    await waitForChips(alice.page, "Lunch at noon?", ["👍 2*"]);
    await waitForChips(bob.page, "Lunch at noon?", ["👍 2*"]);

    // Alice edits: the text changes everywhere, marked edited, and the quote of it follows.
    await choose(alice.page, "Lunch at noon?", "menu.edit");
    const editor = alice.page.getByRole("textbox", { name: text(alice.page, "edit.label") });
    await editor.fill("Lunch at 12:30?");
    await editor.press("Enter");
    await waitForMessage(bob.page, "Lunch at 12:30?");
    expect(await messageItem(bob.page, "Lunch at 12:30?").locator(".edited").textContent()).toBe(text(bob.page, "message.edited"));
    await messageItem(bob.page, "Sounds good").locator(".quote", { hasText: "Lunch at 12:30?" }).waitFor();
    await waitForChips(bob.page, "Lunch at 12:30?", ["👍 2*"]);

    // Alice deletes, after confirming: a tombstone for both, without menu or reactions.
    await choose(alice.page, "Lunch at 12:30?", "menu.delete");
    await alice.page
      .getByRole("dialog", { name: text(alice.page, "delete.heading") })
      .getByRole("button", { name: text(alice.page, "delete.confirm") })
      .click();
    const deleted = text(bob.page, "message.deleted");
    await waitForMessage(bob.page, deleted);
    expect(await logTexts(bob.page)).toEqual([deleted, "Sounds good"]);
    expect(await messageItem(bob.page, deleted).locator("button").count()).toBe(0);
    await messageItem(bob.page, "Sounds good").locator(".quote", { hasText: deleted }).waitFor();
    await waitForMessage(alice.page, deleted);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("offer Edit and Delete only on the reader's own messages, and still after a reload", async () => {
    const room = uniqueRoom("authorship");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await say(alice.page, "mine");
    await say(bob.page, "his");
    await waitForMessage(alice.page, "his");
    const everyone = [text(alice.page, "menu.reply"), text(alice.page, "menu.react")];
    const own = [...everyone, text(alice.page, "menu.edit"), text(alice.page, "menu.delete")];
    expect(await menuItems(alice.page, "mine")).toEqual(own);
    expect(await menuItems(alice.page, "his")).toEqual(everyone);

    await alice.page.reload();
    await waitLive(alice.page);
    await waitForMessage(alice.page, "his");
    expect(await menuItems(alice.page, "mine")).toEqual(own);
    expect(await menuItems(alice.page, "his")).toEqual(everyone);
    // And the room agrees: the edit after the reload is stored.
    await choose(alice.page, "mine", "menu.edit");
    await alice.page.getByRole("textbox", { name: text(alice.page, "edit.label") }).fill("still mine");
    await alice.page.keyboard.press("Enter");
    await waitForMessage(bob.page, "still mine");
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("mark the same person as you in every tab", async () => {
    const room = uniqueRoom("tabs");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const second = await alice.context.newPage();
    await second.goto(`${fixture.server.url}/chat/${room}`);
    await waitLive(second);
    const online = second.getByRole("list", { name: /Online/ });
    await online.getByText("Alice").waitFor();
    expect(await online.getByRole("listitem").allInnerTexts()).toEqual([expect.stringMatching(/Alice\s*you/)]);
    await say(alice.page, "from the first tab");
    await waitForMessage(second, "from the first tab");
    expect(await second.getByRole("log").locator("li.own .text").allTextContents()).toEqual(["from the first tab"]);
    await leave(alice);
  });

  it("take the reader from a quote to its original, or quote a fetched one and say it is not loaded", async () => {
    const room = uniqueRoom("quote");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    await say(alice.page, "the original");
    for (const filler of ["one", "two", "three", "four"]) await say(alice.page, filler);
    await choose(alice.page, "the original", "menu.reply");
    await say(alice.page, "the reply");
    await waitForMessage(alice.page, "the reply");
    await messageItem(alice.page, "the reply").locator(".quote").click();
    const original = messageItem(alice.page, "the original");
    await alice.page.locator("li.highlight", { hasText: "the original" }).waitFor();
    expect(await original.evaluate((li) => li === document.activeElement)).toBe(true);
    expect(await original.isVisible()).toBe(true);

    // Bob's welcome holds the last four messages: the original is not among them, so the page
    // fetches it and quotes it like any other, and follows its edits.
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await waitForMessage(bob.page, "the reply");
    expect(await logTexts(bob.page)).not.toContain("the original");
    const quote = messageItem(bob.page, "the reply").locator(".quote");
    await quote.filter({ hasText: "the original" }).waitFor();
    expect(await quote.innerText()).toMatch(/Alice\s*the original/);
    await choose(alice.page, "the original", "menu.edit");
    const editor = alice.page.getByRole("textbox", { name: text(alice.page, "edit.label") });
    await editor.fill("the original, edited");
    await editor.press("Enter");
    await quote.filter({ hasText: "the original, edited" }).waitFor();
    await quote.click();
    await bob.page
      .getByRole("alert")
      .filter({ hasText: text(bob.page, "reply.notLoaded") })
      .waitFor();
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("react with a typed emoji, turning away what is not one", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("emoji"), "Alice");
    await say(alice.page, "pick one");
    await waitForMessage(alice.page, "pick one");
    const picker = alice.page.getByRole("dialog", { name: text(alice.page, "picker.label") });
    const field = picker.getByRole("textbox", { name: text(alice.page, "picker.other") });

    await choose(alice.page, "pick one", "menu.react");
    await field.fill("ok");
    await field.press("Enter");
    await picker
      .getByRole("alert")
      .filter({ hasText: text(alice.page, "picker.invalid") })
      .waitFor();
    // A pictograph no emoji list has: plausible here, refused by the room.
    await field.fill("\u{1FC00}");
    await field.press("Enter");
    const reason = text(alice.page, "error.invalid_emoji");
    await alice.page
      .getByRole("alert")
      .filter({ hasText: text(alice.page, "action.notChanged", { reason }) })
      .waitFor();

    await choose(alice.page, "pick one", "menu.react");
    await field.fill("🇫🇷");
    await field.press("Enter");
    await waitForChips(alice.page, "pick one", ["🇫🇷 1*"]);
    // Typed without its emoji selector, a heart is the picker's heart: typing it takes that one back.
    await reactWith(alice.page, "pick one", "❤️");
    await waitForChips(alice.page, "pick one", ["🇫🇷 1*", "❤️ 1*"]);
    await choose(alice.page, "pick one", "menu.react");
    await field.fill("❤");
    await field.press("Enter");
    await waitForChips(alice.page, "pick one", ["🇫🇷 1*"]);
    expect(await chips(alice.page, "pick one")).toEqual(["🇫🇷 1*"]);
    await leave(alice);
  });

  it("keep an edit open when it is refused, and Escape leaves the text as it was", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("edit"), "Alice");
    await say(alice.page, "draft");
    await waitForMessage(alice.page, "draft");
    await choose(alice.page, "draft", "menu.edit");
    const editor = alice.page.getByRole("textbox", { name: text(alice.page, "edit.label") });
    expect(await editor.inputValue()).toBe("draft");
    await editor.fill("changed my mind");
    await editor.press("Escape");
    await editor.waitFor({ state: "detached" });
    expect(await logTexts(alice.page)).toEqual(["draft"]);

    await choose(alice.page, "draft", "menu.edit");
    await editor.fill("😀".repeat(2003));
    expect(await alice.page.locator(".editor .counter").textContent()).toBe(text(alice.page, "composer.over", { count: 3 }));
    await editor.press("Enter");
    const reason = text(alice.page, "error.text_too_long");
    await alice.page
      .locator(".editor")
      .getByRole("alert")
      .filter({ hasText: text(alice.page, "action.notChanged", { reason }) })
      .waitFor();
    expect(await editor.inputValue()).toBe("😀".repeat(2003));
    await editor.fill("final");
    await editor.press("Enter");
    await waitForMessage(alice.page, "final");
    await editor.waitFor({ state: "detached" });
    expect(await messageBox(alice.page).inputValue()).toBe("");
    await leave(alice);
  });
});
