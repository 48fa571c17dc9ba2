/**
 * The host's token refreshed inside an open frame, in Chromium on another site: a second token of
 * the same person goes to the room on the live socket (no new socket, nobody leaves), and the
 * frame keeps working after the first one's `exp`; a token of someone else is refused, the host
 * hears why, and the frame does not become that person when it next connects.
 */
import type { Page, WebSocket } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../packages/client/src/index";
import { client, freshRoom } from "./client-support";
import { embedPage, heard, openHost, roomFrame, type, useEmbedFixture, waitLive } from "./embed-support";
import { AUTH_SECRET, sign } from "./token-support";

const fixture = useEmbedFixture({ AUTH_SECRET });

/** Long enough to get the frame live and refresh on a loaded machine; the test waits for it to pass. */
const FIRST_TOKEN_SECONDS = 15;

/** The frame's sockets to the room, each with the text frames it sent. */
type Sockets = { socket: WebSocket; sent: string[] }[];

/** A host page whose frame waits for the host's token, and its first token. */
async function openWithToken(room: string, token: string): Promise<{ page: Page; sockets: Sockets }> {
  const sockets: Sockets = [];
  const setToken = `<script>customElements.whenDefined("edge-chat").then(() => { document.querySelector("edge-chat").token = ${JSON.stringify(token)}; });</script>`;
  const page = await openHost(fixture.browser, fixture.site.page(embedPage(room, 'data-auth="token"') + setToken), (page) => watchSockets(page, sockets));
  return { page, sockets };
}

function watchSockets(page: Page, sockets: Sockets): void {
  page.on("websocket", (socket) => {
    if (!socket.url().includes("/chat/")) return;
    const entry = { socket, sent: [] as string[] };
    socket.on("framesent", ({ payload }) => entry.sent.push(String(payload)));
    sockets.push(entry);
  });
}

/** Hands the element a new token, as the host's script would. */
function setToken(page: Page, token: string): Promise<void> {
  return page.evaluate((token) => {
    (document.querySelector("edge-chat") as unknown as { token: string }).token = token;
  }, token);
}

/** The uids the library client saw leave. */
function leavers(node: Room): string[] {
  const gone: string[] = [];
  node.on("leave", (member) => gone.push(member.uid));
  return gone;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a token refreshed by the host", () => {
  it("goes to the room on the live socket, and the frame keeps working after the first token's exp", async () => {
    const room = freshRoom("embed-refresh");
    const node = client(fixture.server.url, room, "node");
    const gone = leavers(node);
    const expires = Date.now() + FIRST_TOKEN_SECONDS * 1000;
    const { page, sockets } = await openWithToken(room, await sign({ sub: "refresh-1", name: "Jo", expiresIn: FIRST_TOKEN_SECONDS }));
    try {
      await node.ready;
      const frame = await roomFrame(page);
      await waitLive(frame);
      const second = await sign({ sub: "refresh-1", name: "Jo", expiresIn: 3600 });
      await setToken(page, second);
      await expect.poll(() => sockets.flatMap((entry) => entry.sent)).toContainEqual(JSON.stringify({ type: "auth", token: second }));
      // Past the first token's exp, when the room would have closed a socket still using it.
      await sleep(Math.max(0, expires - Date.now()) + 3000);
      await type(frame, "still here after the first token's exp");
      await expect.poll(() => node.messages.map((m) => [m.text, m.from.uid])).toContainEqual(["still here after the first token's exp", "app:refresh-1"]);
      expect(sockets).toHaveLength(1);
      expect(sockets[0]!.socket.isClosed()).toBe(false);
      expect(gone).not.toContain("app:refresh-1");
      expect((await heard(page)).filter((event) => event.type === "error")).toEqual([]);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("refuses a token of another person and tells the host, and the socket stays the first person's", async () => {
    const room = freshRoom("embed-other-sub");
    const node = client(fixture.server.url, room, "node");
    const { page, sockets } = await openWithToken(room, await sign({ sub: "first-1", name: "Kai" }));
    try {
      await node.ready;
      const frame = await roomFrame(page);
      await waitLive(frame);
      await setToken(page, await sign({ sub: "someone-else", name: "Mallory" }));
      await expect.poll(async () => (await heard(page)).filter((event) => event.type === "error")).toEqual([{ type: "error", code: "invalid_token" }]);
      // Nothing the person typed was refused: the composer says nothing.
      expect(await frame.locator("#composer-error").isVisible()).toBe(false);
      await type(frame, "who am I?");
      await expect.poll(() => node.messages.map((m) => [m.text, m.from.uid, m.from.name])).toContainEqual(["who am I?", "app:first-1", "Kai"]);
      expect(sockets).toHaveLength(1);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("reconnects with the token it was using, not with one the room refused", async () => {
    const room = freshRoom("embed-refused-kept");
    const node = client(fixture.server.url, room, "node");
    const first = await sign({ sub: "first-2", name: "Lu" });
    const { page, sockets } = await openWithToken(room, first);
    try {
      await node.ready;
      const frame = await roomFrame(page);
      await waitLive(frame);
      const refused = await sign({ sub: "someone-else", name: "Mallory" });
      await setToken(page, refused);
      await expect.poll(async () => (await heard(page)).map((event) => event.type === "error" && event.code)).toContain("invalid_token");
      // A network drop: the next socket is a new attempt at the door, with the frame's current token.
      await page.context().setOffline(true);
      await expect.poll(() => sockets[0]!.socket.isClosed()).toBe(true);
      await page.context().setOffline(false);
      await expect.poll(() => sockets.length).toBe(2);
      await waitLive(frame);
      expect(sockets[1]!.socket.url()).toContain(first);
      await type(frame, "after the drop");
      await expect.poll(() => node.messages.map((m) => [m.text, m.from.uid])).toContainEqual(["after the drop", "app:first-2"]);
    } finally {
      node.close();
      await page.context().close();
    }
  });
});
