/**
 * The identity cookie in a real browser against `wrangler dev` on http://127.0.0.1: Chromium
 * treats loopback as a secure context, so it keeps a `Secure` `__Host-` cookie there too, and a
 * reload connects as the same person.
 */
import { describe, expect, it } from "vitest";
import { join, leave, say, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

const fixture = usePageFixture();

async function senders(room: string): Promise<string[]> {
  const response = await fetch(`${fixture.server.url}/api/rooms/${room}/messages`);
  const { messages } = (await response.json()) as { messages: { from: { uid: string } }[] };
  return messages.map((m) => m.from.uid);
}

describe("identity cookie", () => {
  it("is kept by Chromium on http://127.0.0.1, HttpOnly and invisible to the page's scripts", async () => {
    const alice = await join(fixture.browser, fixture.server.url, uniqueRoom("cookie"), "Alice");
    const [cookie] = await alice.context.cookies();
    expect(cookie).toMatchObject({ name: "__Host-chat_id", path: "/", httpOnly: true, secure: true, sameSite: "Lax" });
    expect(await alice.page.evaluate(() => document.cookie)).toBe("");
    await leave(alice);
  });

  it("makes a reload connect as the same person", async () => {
    const room = uniqueRoom("reload");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    await say(alice.page, "before reload");
    await waitForMessage(alice.page, "before reload");
    await alice.page.reload();
    await alice.page
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor();
    await say(alice.page, "after reload");
    await waitForMessage(alice.page, "after reload");
    const [before, after] = await senders(room);
    expect(after).toBe(before);
    expect(before).toMatch(/^u_/);
    expect(alice.errors).toEqual([]);
    await leave(alice);
  });
});
