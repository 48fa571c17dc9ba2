/**
 * The widget's HTTP reads under `AUTH_REQUIRED=1`, in Chromium: the frame sends the host's token
 * as a bearer, and when the room answers a read `401 token_expired` the frame asks the host for a
 * fresh token the way it does for its socket (an `error` message, which makes embed.js call the
 * app's token function again) and reads once more with it. The expiry is the room's answer played
 * by the test for one request (tokens cannot be made to expire between two reads of one page).
 */
import type { Request } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect } from "../../packages/client/src/index";
import { freshRoom } from "./client-support";
import { type HostSite, startHostSite } from "./embed-support";
import { usePageFixture } from "./page-support";
import { AUTH_SECRET, sign } from "./token-support";

const vars: Record<string, string> = { AUTH_SECRET, AUTH_REQUIRED: "1" };
let site: HostSite;

beforeAll(async () => {
  site = await startHostSite(() => fixture.server.url);
  vars.EMBED_ORIGINS = site.origin;
});
afterAll(async () => {
  await site?.close();
});
const fixture = usePageFixture({ vars });

/** A reply in `room` to a message older than the welcome's history; returns the original's id. */
async function replyToOldMessage(room: string): Promise<number> {
  const asker = connect({ url: fixture.server.url, room, token: await sign({ sub: "asker", name: "Asker" }) });
  const original = await asker.send("is the shop open on Sunday?");
  for (let i = 0; i < 110; i++) await asker.send(`filler ${i}`);
  await asker.send("yes, from ten", { replyTo: original.id });
  asker.close();
  return original.id;
}

it("reads with the host's token, and after a token_expired asks the host for a fresh one and reads again", async () => {
  const room = freshRoom("embed-renew");
  const originalId = await replyToOldMessage(room);
  // Tokens of the same person that differ (each another exp), so each read shows which one it carried.
  const tokens = await Promise.all([0, 1, 2, 3, 4].map((i) => sign({ sub: "customer-1", name: "Grace", expiresIn: 3600 - i * 60 })));
  const setToken = `<script>
    window.given = [];
    const tokens = ${JSON.stringify(tokens)};
    customElements.whenDefined("edge-chat").then(() => {
      document.querySelector("edge-chat").token = async () => {
        const token = tokens[Math.min(window.given.length, tokens.length - 1)];
        window.given.push(token);
        return token;
      };
    });
  </script>`;
  const context = await fixture.browser.newContext({ locale: "en-US" });
  const reads: Request[] = [];
  let refused = false;
  await context.route(`**/api/rooms/${room}/messages/${originalId}`, async (route) => {
    reads.push(route.request());
    if (refused) return route.continue();
    refused = true;
    await route.fulfill({ status: 401, contentType: "application/json", body: JSON.stringify({ error: { code: "token_expired", message: "expired" } }) });
  });
  try {
    const page = await context.newPage();
    await page.goto(site.page(`<script src="{server}/embed.js" data-room="${room}" data-auth="token" async></script>${setToken}`));
    const frame = page.frameLocator("edge-chat iframe");
    const quote = frame.locator("#messages li.msg", { hasText: "yes, from ten" }).locator(".quote .quote-text");
    await expect.poll(() => quote.textContent(), { timeout: 30_000 }).toBe("is the shop open on Sunday?");
    const given = await page.evaluate(() => (window as unknown as { given: string[] }).given);
    const carried = await Promise.all(reads.map(async (read) => (await read.headerValue("authorization"))?.replace(/^Bearer /, "")));
    expect(carried).toHaveLength(2);
    // The refused read carried the host's token of the moment; the host was asked once more, and the second read carried that answer.
    const first = given.indexOf(carried[0]!);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(given).toHaveLength(first + 2);
    expect(carried[1]).toBe(given.at(-1));
    for (const read of reads) expect(read.url()).not.toContain("token");
  } finally {
    await context.close();
  }
});
