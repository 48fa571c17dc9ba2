/**
 * Never lose a message, never show one twice: the page reconnects after its socket dies (loudly,
 * silently, or because the browser went offline), resumes with `since`, and sends what was typed
 * meanwhile exactly once.
 */
import { beforeEach, afterEach, describe, expect, it } from "vitest";
import { startProxy, type Proxy } from "./page-proxy";
import { join, leave, logTexts, say, uniqueRoom, waitForMessage, waitLive, usePageFixture } from "./page-support";

const fixture = usePageFixture();
let proxy: Proxy;

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
    await bob.page.locator(".connection").filter({ hasText: /Reconnecting in \d+\s?s/ }).waitFor();

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
