/**
 * The client library inside Chromium against a real `wrangler dev`: the ESM bundle imported by a
 * page of the room's origin, and a React app on its hooks, each chatting with a Node client.
 */
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { client, freshRoom } from "./client-support";
import { usePageFixture } from "./page-support";

const fixture = usePageFixture();
const bundles = new Map<string, string>();

beforeAll(async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const bundle = async (entry: string, format: "esm" | "iife") => {
    const { outputFiles } = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      format,
      write: false,
      define: { "process.env.NODE_ENV": '"production"' },
    });
    return outputFiles[0]!.text;
  };
  bundles.set("client.js", await bundle("packages/client/src/index.ts", "esm"));
  bundles.set("react-app.js", await bundle("test/e2e/client-react-app.ts", "iife"));
});

/**
 * A page of the room's own origin (the socket's Origin check passes) that serves the bundles. The
 * document itself must come from the server: Chromium's local network access checks block a
 * socket to 127.0.0.1 from a document the test made up.
 */
async function serverPage(path: string): Promise<Page> {
  const context = await fixture.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  await page.route("**/__test/*.js", (route) => {
    const name = new URL(route.request().url()).pathname.split("/").pop()!;
    return route.fulfill({ contentType: "text/javascript", body: bundles.get(name) ?? "" });
  });
  // The site's 404 page: any document of the origin will do.
  await page.goto(`${fixture.server.url}${path}`);
  return page;
}

describe("client library in Chromium", () => {
  it("sends and receives through the browser's own WebSocket", async () => {
    const room = freshRoom("lib-browser");
    const node = client(fixture.server.url, room, "node");
    try {
      await node.ready;
      const page = await serverPage("/__test/blank");
      // A string, not a function: vitest would rewrite a function's `import()` for Node.
      const sent = (await page.evaluate(`(async () => {
        const { connect } = await import("/__test/client.js");
        const room = connect({ url: location.origin, room: ${JSON.stringify(room)}, name: "chromium" });
        globalThis.room = room;
        return (await room.send("from chromium")).id;
      })()`)) as number;
      await expect.poll(() => node.messages.map((m) => [m.id, m.text, m.from.name])).toContainEqual([sent, "from chromium", "chromium"]);
      const reply = await node.send("hello browser");
      const seen = () =>
        page.evaluate(() => (globalThis as unknown as { room: { messages: { id: number; text: string }[] } }).room.messages.map((m) => [m.id, m.text]));
      await expect.poll(seen).toContainEqual([reply.id, "hello browser"]);
      await page.context().close();
    } finally {
      node.close();
    }
  });

  it("drives a React app through useRoom, useMessages, useMembers and useTyping", async () => {
    const room = freshRoom("lib-react");
    const node = client(fixture.server.url, room, "ana");
    try {
      await node.send("before react");
      const page = await serverPage(`/__test/app#${room}`);
      await page.addScriptTag({ url: "/__test/react-app.js" });
      const messages = page.getByRole("list", { name: "messages" });
      await messages.getByText("ana: before react").waitFor();
      await page.getByRole("list", { name: "people" }).getByText("react").waitFor();
      await node.send("live from node");
      await messages.getByText("ana: live from node").waitFor();
      await node.typing();
      await page.getByLabel("typing").getByText("ana is typing").waitFor();
      await page.getByRole("textbox", { name: "message" }).fill("from react");
      await page.getByRole("textbox", { name: "message" }).press("Enter");
      await expect.poll(() => node.messages.map((m) => `${m.from.name}: ${m.text}`)).toContain("react: from react");
      await messages.getByText("react: from react").waitFor();
      expect(await page.locator("main").getAttribute("data-state")).toBe("open");
      await page.context().close();
    } finally {
      node.close();
    }
  });
});
