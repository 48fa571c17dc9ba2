/**
 * @module
 * Sites that embed rooms, for the widget's browser tests: a tiny HTTP server on 127.0.0.1 whose
 * pages are opened as `http://localhost:<port>`, another site than the room's
 * `http://127.0.0.1:<port>` (so the frame is a third-party context), and stopped after the file;
 * and the ways the tests open such a page and reach into its frame.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Frame, Locator, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Language, translate } from "../../src/client/i18n/catalog";
import type { Key } from "../../src/client/i18n/en";
import { type PageFixture, usePageFixture } from "./page-support";

export interface HostSite {
  /** `http://localhost:<port>`. */
  origin: string;
  /** The address of a page whose body is `body`; the room server's address replaces `{server}`. */
  page(body: string): string;
  close(): Promise<void>;
}

export async function startHostSite(server: () => string): Promise<HostSite> {
  const pages = new Map<string, string>();
  const http: Server = createServer((request, response) => {
    const body = pages.get(new URL(request.url ?? "/", "http://x").pathname);
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A shop</title></head><body><main><h1>A shop</h1>${body.replaceAll("{server}", server())}</main></body></html>`,
    );
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const origin = `http://localhost:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    page(body) {
      const path = `/page-${pages.size + 1}`;
      pages.set(path, body);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

export interface EmbedFixture extends PageFixture {
  /** A site in EMBED_ORIGINS. */
  site: HostSite;
  /** A site that is not. */
  stranger: HostSite;
}

/**
 * For the calling test file: the two sites, then a `wrangler dev` with `vars` and EMBED_ORIGINS
 * naming `site`, and a Chromium that blocks third-party cookies (its switch for the cookie rules
 * of the browsers that do).
 */
export function useEmbedFixture(vars: Record<string, string> = {}): EmbedFixture {
  const all = { ...vars };
  const sites = {} as { site: HostSite; stranger: HostSite };
  beforeAll(async () => {
    [sites.site, sites.stranger] = await Promise.all([startHostSite(() => page.server.url), startHostSite(() => page.server.url)]);
    all.EMBED_ORIGINS = sites.site.origin;
  });
  afterAll(async () => {
    await Promise.all([sites.site?.close(), sites.stranger?.close()]);
  });
  const page = usePageFixture({ vars: all }, ["--test-third-party-cookie-phaseout"]);
  return {
    get server() {
      return page.server;
    },
    get browser() {
      return page.browser;
    },
    get site() {
      return sites.site;
    },
    get stranger() {
      return sites.stranger;
    },
  };
}

const say = (key: Key) => translate("en", key);

/** The script tag of the issue, with the host listening to every `edge-chat:*` event. */
export function embedPage(room: string, attributes = ""): string {
  return `<p>Before the room.</p>
<script src="{server}/embed.js" data-room="${room}" ${attributes} async></script>
<p>After the room.</p>
<script>
  window.heard = [];
  for (const type of ["ready", "resize", "unread", "message", "error"])
    document.addEventListener("edge-chat:" + type, (event) => window.heard.push({ type, ...event.detail }));
</script>`;
}

/** A host page in a browser context of its own, in English; `watch` sees the page before it loads. */
export async function openHost(browser: Browser, url: string, watch?: (page: Page) => void): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`host page error: ${error.message}`));
  watch?.(page);
  await page.goto(url);
  return page;
}

/** The room's frame in the host page, loaded. */
export async function roomFrame(page: Page): Promise<Frame> {
  const handle = await page.locator("edge-chat iframe").elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error("no frame");
  await frame.waitForLoadState();
  return frame;
}

export async function joinAs(frame: Frame, name: string): Promise<void> {
  const field = frame.getByRole("textbox", { name: say("name.label"), exact: true });
  await field.fill(name);
  await field.press("Enter");
  await waitLive(frame);
}

export function waitLive(frame: Frame, language: Language = "en"): Promise<void> {
  return frame
    .getByRole("status")
    .filter({ hasText: translate(language, "status.live") })
    .waitFor();
}

/** The frame's message box. */
export function composer(frame: Frame, language: Language = "en"): Locator {
  return frame.getByRole("textbox", { name: translate(language, "composer.label"), exact: true });
}

export async function type(frame: Frame, text: string): Promise<void> {
  await composer(frame).fill(text);
  await composer(frame).press("Enter");
}

/** Every `edge-chat:*` event the host heard so far, in order. */
export function heard(page: Page): Promise<{ type: string; [key: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { heard: { type: string }[] }).heard);
}
