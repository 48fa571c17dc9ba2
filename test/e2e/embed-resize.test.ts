/**
 * The inline frame's height, in Chromium on another site: it follows the room's content (the
 * frame's `resize`) between a minimum and a maximum, the host moves the maximum with
 * `--edge-chat-max-height` or `data-max-height`, a launcher's panel keeps its size, and a
 * `resize` from any window but the frame's own moves nothing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../packages/client/src/index";
import { client, freshRoom } from "./client-support";
import { embedPage, heard, joinAs, openHost, roomFrame, useEmbedFixture } from "./embed-support";

const fixture = useEmbedFixture();

/** The stylesheet's bounds (src/embed-script/styles.ts) when the host sets none. */
const MIN = 320;
const MAX = 640;

function frameHeight(page: Page, selector = "edge-chat iframe"): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((frame) => frame.getBoundingClientRect().height);
}

/** The content height the frame last reported to the host. */
async function reported(page: Page): Promise<number | undefined> {
  return (await heard(page)).filter((event) => event.type === "resize").at(-1)?.height as number | undefined;
}

/** Sends `count` lines, each acknowledged. */
async function chat(node: Room, count: number, from = 1): Promise<void> {
  for (let line = from; line < from + count; line++) await node.send(`line ${line}`);
}

async function openRoom(room: string, attributes = "", head = ""): Promise<Page> {
  const page = await openHost(fixture.browser, fixture.site.page(head + embedPage(room, attributes)));
  await joinAs(await roomFrame(page), "nia");
  return page;
}

describe("the inline frame's height", () => {
  it("follows the room's content, from the minimum up to the maximum", async () => {
    const room = freshRoom("embed-grow");
    const node = client(fixture.server.url, room, "node");
    const page = await openRoom(room);
    try {
      await node.ready;
      // A room with nothing in it needs less than the minimum.
      await expect.poll(() => reported(page)).toBeLessThan(MIN);
      await expect.poll(() => frameHeight(page)).toBe(MIN);
      // Each message makes it taller, until the log needs no more room than the frame has...
      let sent = 0;
      while (((await reported(page)) ?? 0) <= MIN + 20 && sent < 20) {
        await chat(node, 1, ++sent);
        await (await roomFrame(page)).getByText(`line ${sent}`, { exact: true }).waitFor();
      }
      await expect.poll(async () => (await frameHeight(page)) === (await reported(page))).toBe(true);
      expect(await frameHeight(page)).toBeGreaterThan(MIN);
      // ...up to the maximum, where the log scrolls inside the frame.
      await chat(node, 20, sent + 1);
      await expect.poll(() => reported(page)).toBeGreaterThan(MAX + 100);
      await expect.poll(() => frameHeight(page)).toBe(MAX);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("stops at the host's --edge-chat-max-height", async () => {
    const room = freshRoom("embed-max-css");
    const node = client(fixture.server.url, room, "node");
    const page = await openRoom(room, "", "<style>edge-chat { --edge-chat-max-height: 25rem; }</style>");
    try {
      await node.ready;
      await chat(node, 15);
      await expect.poll(() => reported(page)).toBeGreaterThan(500);
      await expect.poll(() => frameHeight(page)).toBe(400);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("stops at data-max-height, which beats the custom property", async () => {
    const room = freshRoom("embed-max-attribute");
    const node = client(fixture.server.url, room, "node");
    const page = await openRoom(room, 'data-max-height="360"', "<style>edge-chat { --edge-chat-max-height: 600px; }</style>");
    try {
      await node.ready;
      await chat(node, 15);
      await expect.poll(() => reported(page)).toBeGreaterThan(500);
      await expect.poll(() => frameHeight(page)).toBe(360);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("leaves a launcher's panel at its own size", async () => {
    const room = freshRoom("embed-launcher-size");
    const node = client(fixture.server.url, room, "node");
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room, 'data-mode="launcher" data-label="Help"')));
    try {
      await node.ready;
      await page.getByRole("button", { name: "Help" }).click();
      await joinAs(await roomFrame(page), "oli");
      const panel = await page.locator("edge-chat").evaluate((element) => element.shadowRoot!.querySelector(".panel")!.getBoundingClientRect().height);
      await chat(node, 3);
      await expect.poll(() => reported(page)).toBeDefined();
      expect(await reported(page)).not.toBe(panel);
      expect(await frameHeight(page)).toBe(panel);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("ignores a resize from any window but its own frame", async () => {
    const room = freshRoom("embed-forged");
    const other = freshRoom("embed-other");
    // A page of a site not in EMBED_ORIGINS, and one of the room server's own frames that is not the element's.
    const forger = fixture.stranger.page(`<script>parent.postMessage({ edgeChat: { type: "resize", height: 1500 } }, "*");</script>`);
    const head = `<style>edge-chat { --edge-chat-min-height: 0px; --edge-chat-max-height: 2000px; }</style>
<script>
  window.raw = [];
  addEventListener("message", (event) => {
    const from = event.source === document.getElementById("other").contentWindow ? "other" : event.origin;
    if (event.data?.edgeChat?.type === "resize") window.raw.push({ from, height: event.data.edgeChat.height });
  });
</script>`;
    const tail = `<iframe id="other" width="300" height="400" src="{server}/embed/${other}?host=${encodeURIComponent(fixture.site.origin)}"></iframe>
<iframe src="${forger}"></iframe>`;
    const page = await openHost(fixture.browser, fixture.site.page(head + embedPage(room) + tail));
    try {
      await roomFrame(page);
      await page.evaluate(() => postMessage({ edgeChat: { type: "resize", height: 1600 } }, "*"));
      const raw = () => page.evaluate(() => (window as unknown as { raw: { from: string; height: number }[] }).raw);
      await expect
        .poll(async () => new Set((await raw()).map((message) => message.from)))
        .toEqual(new Set([fixture.server.url, "other", fixture.stranger.origin, fixture.site.origin]));
      const own = await reported(page);
      const others = (await raw()).filter((message) => message.from === "other").map((message) => message.height);
      // The other frame is narrower, so its content is taller: a height the element's frame never reports.
      expect(others).not.toContain(own);
      expect(await frameHeight(page)).toBe(own);
      expect((await heard(page)).filter((event) => event.type === "resize").map((event) => event.height)).not.toContain(1500);
      expect((await heard(page)).filter((event) => event.type === "resize").map((event) => event.height)).not.toContain(1600);
    } finally {
      await page.context().close();
    }
  });
});
