/**
 * The widget in Chromium, with third-party cookies blocked as most browsers do: embed.js on a page
 * of another site (test/e2e/embed-support.ts) frames the room, which chats with a library client,
 * tells the host about unread messages, keeps its anonymous person across visits through its
 * partitioned cookie, is clean for axe, and cannot be framed by a site not in EMBED_ORIGINS.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { SignJWT } from "jose";
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { translate } from "../../src/client/i18n/catalog";
import type { Key } from "../../src/client/i18n/en";
import { client, freshRoom } from "./client-support";
import { embedPage, heard, joinAs, openHost, roomFrame, type, useEmbedFixture, waitLive } from "./embed-support";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AUTH_SECRET = "embed-test-secret-of-at-least-32-bytes";
const fixture = useEmbedFixture({ AUTH_SECRET });

const say = (key: Key) => translate("en", key);

describe("embed.js on another site", () => {
  it("puts the room where the script stands, and a message typed inside reaches a library client", async () => {
    const room = freshRoom("embed-chat");
    const node = client(fixture.server.url, room, "node");
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room)));
    try {
      await node.ready;
      // Inline, between the paragraphs around the script.
      expect(await page.locator("main > *").evaluateAll((nodes) => nodes.map((node) => node.tagName))).toEqual([
        "H1",
        "P",
        "SCRIPT",
        "EDGE-CHAT",
        "P",
        "SCRIPT",
      ]);
      const frame = await roomFrame(page);
      expect(frame.url()).toMatch(new RegExp(`^${fixture.server.url}/embed/${room}\\?`));
      await joinAs(frame, "ana");
      await type(frame, "hello from the shop");
      await expect.poll(() => node.messages.map((m) => [m.text, m.from.name])).toContainEqual(["hello from the shop", "ana"]);
      expect((await heard(page)).map((event) => event.type)).toContain("ready");
      await expect
        .poll(async () => (await heard(page)).find((event) => event.type === "message"))
        .toMatchObject({ text: "hello from the shop", own: true, from: { name: "ana" } });
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("tells the host of messages that arrive while the reader is elsewhere on the page", async () => {
    const room = freshRoom("embed-unread");
    const node = client(fixture.server.url, room, "node");
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room)));
    try {
      await node.ready;
      const frame = await roomFrame(page);
      await joinAs(frame, "bo");
      // The reader goes back to the shop: the frame loses focus.
      await page.getByRole("heading", { name: "A shop" }).click();
      await node.send("anyone there?");
      await node.send("hello?");
      await expect.poll(async () => (await heard(page)).filter((e) => e.type === "unread").map((e) => e.count)).toEqual([1, 2]);
      expect((await heard(page)).filter((e) => e.type === "message").map((e) => e.text)).toEqual(["anyone there?", "hello?"]);
      // Back in the room: nothing unread.
      await frame.getByRole("textbox", { name: say("composer.label"), exact: true }).click();
      await expect.poll(async () => (await heard(page)).filter((e) => e.type === "unread").map((e) => e.count)).toEqual([1, 2, 0]);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("shows a launcher whose badge counts unread messages, and opens the room", async () => {
    const room = freshRoom("embed-launcher");
    const node = client(fixture.server.url, room, "node");
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room, 'data-mode="launcher" data-label="Support"')));
    try {
      await node.ready;
      const launcher = page.getByRole("button", { name: "Support" });
      await expect.poll(() => launcher.getAttribute("aria-expanded")).toBe("false");
      await launcher.click();
      const frame = await roomFrame(page);
      await joinAs(frame, "cy");
      await launcher.click();
      expect(await page.locator("edge-chat iframe").isVisible()).toBe(false);
      await node.send("we are open");
      await page.getByRole("button", { name: "Support (1 unread)" }).waitFor();
      await page.getByRole("button", { name: "Support (1 unread)" }).click();
      await page.getByRole("button", { name: "Support" }).waitFor();
      expect(await page.locator("edge-chat iframe").isVisible()).toBe(true);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("keeps the anonymous person across visits with third-party cookies blocked", async () => {
    const room = freshRoom("embed-identity");
    const node = client(fixture.server.url, room, "node");
    const url = fixture.site.page(embedPage(room));
    const page = await openHost(fixture.browser, url);
    try {
      await node.ready;
      let frame = await roomFrame(page);
      // The browser does block them: the frame may use neither unpartitioned cookies nor localStorage.
      expect(await frame.evaluate(() => document.hasStorageAccess())).toBe(false);
      const storage = () => {
        try {
          return localStorage.length >= 0 && "allowed";
        } catch {
          return "denied";
        }
      };
      expect(await frame.evaluate(storage)).toBe("denied");
      await joinAs(frame, "dee");
      await type(frame, "first visit");
      await page.reload();
      frame = await roomFrame(page);
      await waitLive(frame);
      await type(frame, "second visit");
      await expect.poll(() => node.messages.map((m) => m.text)).toContain("second visit");
      const [first, second] = node.messages.filter((m) => m.from.name === "dee");
      expect(second!.from.uid).toBe(first!.from.uid);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("signs the person in with a token posted by the host, which never appears in the frame's address", async () => {
    const room = freshRoom("embed-token");
    const node = client(fixture.server.url, room, "node");
    const token = await new SignJWT({ name: "Grace (shop)" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("customer-7")
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(AUTH_SECRET));
    const setToken = `<script>customElements.whenDefined("edge-chat").then(() => { document.querySelector("edge-chat").token = ${JSON.stringify(token)}; });</script>`;
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room, 'data-auth="token"') + setToken));
    try {
      await node.ready;
      const frame = await roomFrame(page);
      // No name prompt: the token names the person.
      await waitLive(frame);
      expect(await frame.getByRole("textbox", { name: say("name.label"), exact: true }).isVisible()).toBe(false);
      await type(frame, "order 1234 is late");
      await expect
        .poll(() => node.messages.map((m) => [m.text, m.from.uid, m.from.name]))
        .toContainEqual(["order 1234 is late", "app:customer-7", "Grace (shop)"]);
      expect(frame.url()).not.toContain(token);
    } finally {
      node.close();
      await page.context().close();
    }
  });

  it("finds nothing for axe inside the frame, light and dark", async () => {
    const room = freshRoom("embed-axe");
    const page = await openHost(fixture.browser, fixture.site.page(embedPage(room)));
    try {
      const frame = await roomFrame(page);
      await joinAs(frame, "eve");
      await type(frame, "checking contrast");
      await frame.getByRole("log").getByText("checking contrast").waitFor();
      expect(await violations(frame)).toEqual([]);
      await page.emulateMedia({ colorScheme: "dark" });
      expect(await violations(frame)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it("cannot be framed by a site not in EMBED_ORIGINS", async () => {
    const room = freshRoom("embed-stranger");
    const page = await openHost(fixture.browser, fixture.stranger.page(embedPage(room)));
    try {
      await page.locator("edge-chat iframe").waitFor({ state: "attached" });
      // Chromium shows its error page in place of the room.
      await expect.poll(() => page.frames().map((frame) => frame.url())).toEqual([page.url(), "chrome-error://chromewebdata/"]);
      expect((await heard(page)).map((event) => event.type)).not.toContain("ready");
    } finally {
      await page.context().close();
    }
  });
});

async function violations(frame: Frame): Promise<{ id: string; targets: string[] }[]> {
  await frame.evaluate(AXE);
  return frame.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } };
    const results = await axe.run();
    return results.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}
