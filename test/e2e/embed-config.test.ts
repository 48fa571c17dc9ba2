/**
 * The host's `config` to a frame already shown, in Chromium on another site: a theme restyles the
 * frame where it stands, values that are not one plain CSS value (or a mode that does not exist)
 * change nothing, and a language reloads the frame in it, signed in again by the host's token
 * and with the draft still in the message box.
 */
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { translate } from "../../src/client/i18n/catalog";
import { client, freshRoom } from "./client-support";
import { composer, embedPage, heard, joinAs, openHost, roomFrame, useEmbedFixture, waitLive } from "./embed-support";
import { AUTH_SECRET, sign } from "./token-support";

const fixture = useEmbedFixture({ AUTH_SECRET });

/** Calls the element's `configure` as a host's script would. */
function configure(page: Page, config: unknown): Promise<void> {
  return page.evaluate((config) => (document.querySelector("edge-chat") as unknown as { configure(c: unknown): void }).configure(config), config);
}

/** The frame's look where the host's theme shows: the page behind the room, its text and font, and the Send button. */
function look(frame: Frame): Promise<{ scheme: string | undefined; background: string; text: string; font: string; send: string }> {
  return frame.evaluate(() => ({
    scheme: document.documentElement.dataset.theme,
    background: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
    font: getComputedStyle(document.body).fontFamily,
    send: getComputedStyle(document.getElementById("send")!).backgroundColor,
  }));
}

/** A frame on a light-scheme page, its person in the room. */
async function openRoom(room: string, name: string): Promise<{ page: Page; frame: Frame }> {
  const page = await openHost(fixture.browser, fixture.site.page(embedPage(room)));
  await page.emulateMedia({ colorScheme: "light" });
  const frame = await roomFrame(page);
  await joinAs(frame, name);
  return { page, frame };
}

describe("a host's config to an open frame", () => {
  it("restyles the frame with a dark scheme and the host's accent", async () => {
    const { page, frame } = await openRoom(freshRoom("embed-dark"), "gus");
    try {
      expect(await look(frame)).toMatchObject({ scheme: undefined, background: "rgb(246, 247, 251)", send: "rgb(79, 70, 229)" });
      await configure(page, { theme: { mode: "dark", accent: "#ff6600" } });
      await expect.poll(() => look(frame)).toMatchObject({ scheme: "dark", background: "rgb(15, 17, 23)", send: "rgb(255, 102, 0)" });
    } finally {
      await page.context().close();
    }
  });

  it("ignores a mode it does not know and values that are more than one CSS value, and applies the rest", async () => {
    const { page, frame } = await openRoom(freshRoom("embed-bad-theme"), "hal");
    const fetched: string[] = [];
    page.context().on("request", (request) => fetched.push(request.url()));
    try {
      const before = await look(frame);
      await configure(page, {
        theme: {
          mode: "neon",
          accent: "red; background: url(/smuggled-accent)",
          background: "url(/smuggled-background)",
          font: "serif } body { display: none",
          text: "#123456",
        },
      });
      // The one valid value shows that the message arrived and was applied.
      await expect.poll(async () => (await look(frame)).text).toBe("rgb(18, 52, 86)");
      expect(await look(frame)).toEqual({ ...before, text: "rgb(18, 52, 86)" });
      expect(fetched.filter((url) => url.includes("smuggled"))).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it("switches the frame's language: it reloads, says ready again, is signed in again by the host's token and keeps the draft", async () => {
    const room = freshRoom("embed-language");
    const node = client(fixture.server.url, room, "node");
    const token = await sign({ sub: "lang-1", name: "Ida" });
    const setToken = `<script>customElements.whenDefined("edge-chat").then(() => { document.querySelector("edge-chat").token = ${JSON.stringify(token)}; });</script>`;
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room, 'data-auth="token"') + setToken));
    try {
      await node.ready;
      let frame = await roomFrame(page);
      await waitLive(frame);
      await composer(frame).fill("half a sentence, not sent yet");
      await configure(page, { language: "zh-CN" });
      await expect.poll(async () => (await heard(page)).filter((event) => event.type === "ready").length).toBe(2);
      frame = await roomFrame(page);
      await waitLive(frame, "zh-CN");
      expect(await frame.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
      expect(await composer(frame, "zh-CN").inputValue()).toBe("half a sentence, not sent yet");
      // The draft rode in the fragment, which the frame took out of its address at once.
      expect(new URL(frame.url()).hash).toBe("");
      expect(await frame.getByRole("textbox", { name: translate("zh-CN", "name.label"), exact: true }).isVisible()).toBe(false);
      await composer(frame, "zh-CN").press("Enter");
      await expect.poll(() => node.messages.map((m) => [m.text, m.from.uid])).toContainEqual(["half a sentence, not sent yet", "app:lang-1"]);
    } finally {
      node.close();
      await page.context().close();
    }
  });
});
