/**
 * The page with an app's token in its fragment (`/chat/<room>#token=<JWT>`), in Chromium against a
 * real `wrangler dev` with AUTH_SECRET: the person is the app's user with the token's name and is
 * not asked for one, the token leaves the address bar at once, and a token the room refuses (or
 * that expires while connected) leaves a notice in the reader's language and no reconnect loop.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { exactly, LOCALES, leave, newPerson, type Person, say, text, uniqueRoom, usePageFixture, waitForMessage, waitLive } from "./page-support";
import { AUTH_SECRET, sign } from "./token-support";

const fixture = usePageFixture({ vars: { AUTH_SECRET } });

/** Opens the room with `token` in the fragment, counting the sockets the page opens. */
async function arrive(room: string, token: string, locale: (typeof LOCALES)[number] = "en-US"): Promise<Person & { sockets: string[] }> {
  const person = await newPerson(fixture.browser, "app user", { locale });
  const sockets: string[] = [];
  person.page.on("websocket", (ws) => sockets.push(ws.url()));
  await person.page.goto(`${fixture.server.url}/chat/${room}#token=${token}`);
  return { ...person, sockets };
}

async function senders(room: string): Promise<{ uid: string; name: string }[]> {
  const response = await fetch(`${fixture.server.url}/api/rooms/${room}/messages`);
  const { messages } = (await response.json()) as { messages: { from: { uid: string; name: string } }[] };
  return messages.map(({ from: { uid, name } }) => ({ uid, name }));
}

function refusedNotice(page: Page, code: "token_expired" | "invalid_token" | "forbidden_room") {
  return page.getByRole("alert").getByText(text(page, "token.refused", { reason: text(page, `error.${code}`) }), { exact: true });
}

describe("a token in the page's fragment", () => {
  it("joins as app:<sub> with the token's name, without asking for a name", async () => {
    const room = uniqueRoom("token");
    const alice = await arrive(room, await sign({ sub: "42", name: "Alice" }));
    await waitLive(alice.page);
    expect(await alice.page.getByRole("dialog").count()).toBe(0);
    await expect.poll(() => alice.page.getByRole("list", { name: text(alice.page, "room.online") }).textContent()).toContain("Alice");
    await say(alice.page, "signed in by my app");
    await waitForMessage(alice.page, "signed in by my app");
    expect(await senders(room)).toEqual([{ uid: "app:42", name: "Alice" }]);
    expect(alice.errors).toEqual([]);
    await leave(alice);
  });

  it("leaves the address bar and the history at once, and goes to no storage but this tab's", async () => {
    const room = uniqueRoom("token");
    const token = await sign({ name: "Alice" });
    const alice = await arrive(room, token);
    await waitLive(alice.page);
    expect(alice.page.url()).toBe(`${fixture.server.url}/chat/${room}`);
    const seen = await alice.page.evaluate(() => ({ hash: location.hash, local: JSON.stringify(localStorage) }));
    expect(seen).toEqual({ hash: "", local: expect.not.stringContaining(token) });
    // Replaced, not pushed: one step back is the blank tab the test started from, not the token's address.
    await alice.page.goBack();
    expect(alice.page.url()).toBe("about:blank");
    await leave(alice);
  });

  it("keeps the person signed in through a reload of the same tab", async () => {
    const room = uniqueRoom("token");
    const alice = await arrive(room, await sign({ sub: "reload-1", name: "Alice" }));
    await waitLive(alice.page);
    await alice.page.reload();
    await waitLive(alice.page);
    await say(alice.page, "after reload");
    await waitForMessage(alice.page, "after reload");
    expect(await senders(room)).toEqual([{ uid: "app:reload-1", name: "Alice" }]);
    await leave(alice);
  });

  describe.each(LOCALES)("in %s", (locale) => {
    it("says an expired token has expired, and does not try again", async () => {
      const late = await arrive(uniqueRoom("token"), await sign({ expiresIn: -3600, issuedAgo: 7200 }), locale);
      await refusedNotice(late.page, "token_expired").waitFor();
      await late.page
        .getByRole("status")
        .filter({ hasText: exactly(text(late.page, "status.idle")) })
        .waitFor();
      expect(await late.page.getByRole("button", { name: text(late.page, "status.retry") }).isVisible()).toBe(false);
      expect(await late.page.getByRole("textbox", { name: text(late.page, "composer.label"), exact: true }).isVisible()).toBe(false);
      // Long past any backoff's first retry (a second at most).
      await late.page.waitForTimeout(4000);
      expect(late.sockets).toHaveLength(1);
      await leave(late);
    });
  });

  it("says so when the token expires while connected, and does not reconnect", async () => {
    const brief = await arrive(uniqueRoom("token"), await sign({ name: "Brief", expiresIn: 4 }));
    await waitLive(brief.page);
    await refusedNotice(brief.page, "token_expired").waitFor({ timeout: 30_000 });
    await brief.page.waitForTimeout(3000);
    expect(brief.sockets).toHaveLength(1);
    await leave(brief);
  });

  it.each([
    ["invalid_token", () => sign({}, "not-the-app-secret")],
    ["forbidden_room", () => sign({ rooms: ["somewhere-else"] })],
  ] as const)("says why the room refused it (%s)", async (code, token) => {
    const refused = await arrive(uniqueRoom("token"), await token());
    await refusedNotice(refused.page, code).waitFor();
    // A refused token is not kept: a reload is an anonymous visitor, asked for a name.
    await refused.page.reload();
    await refused.page.getByRole("dialog", { name: text(refused.page, "name.heading") }).waitFor();
    expect(refused.sockets).toHaveLength(1);
    await leave(refused);
  });
});
