/**
 * Never lose a message, never show one twice: the page reconnects after its socket dies (loudly,
 * silently, or because the browser went offline), resumes with `since`, and sends what was typed
 * meanwhile exactly once; the changes made meanwhile arrive once each.
 */

import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WireFrame } from "../../src/wire/protocol";
import { choose, messageItem, reactWith, waitForChips } from "./message-support";
import { type Proxy as ChatProxy, startProxy } from "./page-proxy";
import { join, leave, logTexts, say, text, uniqueRoom, usePageFixture, waitForMessage, waitLive } from "./page-support";

const fixture = usePageFixture();
let proxy: ChatProxy;

/** The sockets `page` opens from now on: the `since` each asks for, and the `seq` of each update frame received (batches read). */
function watchSockets(page: Page): { since: (string | null)[]; updates: number[] } {
  const seen = { since: [] as (string | null)[], updates: [] as number[] };
  page.on("websocket", (socket) => {
    seen.since.push(new URL(socket.url()).searchParams.get("since"));
    socket.on("framereceived", ({ payload }) => {
      if (typeof payload !== "string" || !payload.startsWith("{")) return;
      const frame = JSON.parse(payload) as WireFrame;
      for (const part of frame.type === "batch" ? frame.frames : [frame]) if (part.type === "update") seen.updates.push(part.seq);
    });
  });
  return seen;
}

beforeEach(async () => {
  proxy = await startProxy(fixture.server.port);
});

afterEach(async () => {
  await proxy.close();
});

describe("reconnecting page", () => {
  it("reconnects after a dropped socket and shows the messages sent meanwhile exactly once", async () => {
    const room = uniqueRoom("drop");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    // Bob reaches the server through the proxy, so the test can cut his connection.
    const bob = await join(fixture.browser, proxy.url, room, "Bob");
    await say(alice.page, "before the drop");
    await waitForMessage(bob.page, "before the drop");

    proxy.refuse = true;
    proxy.dropAll();
    await bob.page
      .locator(".connection")
      .filter({ hasText: /Reconnecting in \d+\s?s/ })
      .waitFor();

    await say(alice.page, "while you were away 1");
    await say(alice.page, "while you were away 2");
    await say(bob.page, "typed during the drop");
    await bob.page.getByRole("log").locator("li.pending").getByText("typed during the drop").waitFor();

    proxy.refuse = false;
    await waitLive(bob.page);
    await waitForMessage(bob.page, "typed during the drop");
    await waitForMessage(alice.page, "typed during the drop");
    await waitForMessage(bob.page, "while you were away 2");

    const expected = ["before the drop", "while you were away 1", "while you were away 2", "typed during the drop"];
    expect(await logTexts(bob.page)).toEqual(expected);
    expect(await logTexts(alice.page)).toEqual(expected);
    expect(await bob.page.getByRole("log").locator("li.pending").count()).toBe(0);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("shows the changes made while it was away after the resume, each exactly once", async () => {
    const room = uniqueRoom("changes");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, proxy.url, room, "Bob");
    await say(alice.page, "plan A");
    await say(alice.page, "temporary");
    await waitForMessage(bob.page, "temporary");
    await reactWith(bob.page, "plan A", "👍");
    await waitForChips(alice.page, "plan A", ["👍 1"]);

    proxy.refuse = true;
    const sockets = watchSockets(bob.page);
    proxy.dropAll();
    await bob.page
      .locator(".connection")
      .filter({ hasText: /Reconnecting/ })
      .waitFor();
    // An action needs the room's answer: while away it is refused at once, not queued.
    await messageItem(bob.page, "plan A")
      .getByRole("button", { name: text(bob.page, "reactions.chip", { emoji: "👍", count: 1 }) })
      .click();
    const reason = text(bob.page, "action.offline");
    await bob.page
      .getByRole("alert")
      .filter({ hasText: text(bob.page, "action.notChanged", { reason }) })
      .waitFor();

    await choose(alice.page, "plan A", "menu.edit");
    await alice.page.getByRole("textbox", { name: text(alice.page, "edit.label") }).fill("plan B");
    await alice.page.keyboard.press("Enter");
    await reactWith(alice.page, "plan B", "🎉");
    await choose(alice.page, "temporary", "menu.delete");
    await alice.page.getByRole("button", { name: text(alice.page, "delete.confirm") }).click();
    await say(alice.page, "after the changes");
    await waitForMessage(alice.page, "after the changes");

    proxy.refuse = false;
    await waitLive(bob.page);
    await waitForMessage(bob.page, "after the changes");
    await waitForChips(bob.page, "plan B", ["👍 1*", "🎉 1"]);
    expect(await logTexts(bob.page)).toEqual(["plan B", text(bob.page, "message.deleted"), "after the changes"]);
    expect(await messageItem(bob.page, "plan B").locator(".edited").count()).toBe(1);
    // The resume starts after Bob's own reaction (an update's seq, past both message ids), so it is
    // not replayed; each message changed meanwhile comes once, at its latest change, in order.
    const since = Number(sockets.since.at(-1));
    expect(since).toBeGreaterThan(2);
    expect(sockets.updates).toHaveLength(2);
    expect(sockets.updates.every((seq) => seq > since)).toBe(true);
    expect(sockets.updates[0]).toBeLessThan(sockets.updates[1]!);
    // Chromium logs each connection the proxy refused (reset, or not connected when it was cut
    // mid-handshake); nothing else went wrong.
    const refused = /ERR_CONNECTION_RESET|ERR_SOCKET_NOT_CONNECTED/;
    expect([...alice.errors, ...bob.errors].filter((e) => !refused.test(e))).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("delivers messages typed while the browser is offline once it is back, in order", async () => {
    const room = uniqueRoom("offline");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");

    await bob.context.setOffline(true);
    await bob.page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
    await say(bob.page, "offline one");
    await say(bob.page, "offline two");
    await say(alice.page, "are you there?");
    expect(await bob.page.getByRole("log").locator("li.pending .text").allTextContents()).toEqual(["offline one", "offline two"]);

    await bob.context.setOffline(false);
    await waitLive(bob.page);
    await waitForMessage(alice.page, "offline two");
    await waitForMessage(bob.page, "offline two");

    const expected = ["are you there?", "offline one", "offline two"];
    expect(await logTexts(alice.page)).toEqual(expected);
    expect(await logTexts(bob.page)).toEqual(expected);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("notices a silently dead socket by its missing pong, then resumes", async () => {
    const room = uniqueRoom("silent");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, proxy.url, room, "Bob", { clock: true });

    // The proxy stops forwarding without closing: the browser still thinks the socket is open.
    proxy.blackHoleAll();
    await say(alice.page, "can you hear me?");
    await waitForMessage(alice.page, "can you hear me?");
    await bob.page.waitForTimeout(500);
    expect(await logTexts(bob.page)).toEqual([]);
    expect(await bob.page.getByRole("status").textContent()).toBe("Live");
    // One heartbeat interval (20 s) plus the pong timeout (10 s), on the page's fake clock.
    await bob.page.clock.runFor(31_000);
    // The reconnect itself is quick (a backoff under a second), so "Reconnecting" may already be gone.
    await bob.page.clock.runFor(2_000);
    await waitLive(bob.page);
    await waitForMessage(bob.page, "can you hear me?");
    expect(await logTexts(bob.page)).toEqual(["can you hear me?"]);
    await Promise.all([leave(alice), leave(bob)]);
  });
});
