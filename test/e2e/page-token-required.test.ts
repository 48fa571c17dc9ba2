/**
 * The page for an app's users where the room admits only them (`AUTH_REQUIRED=1`), in Chromium
 * against a real `wrangler dev`: everything the page reads of its room works with the token from
 * its fragment. Search goes over the socket and lands on a result older than the loaded history;
 * a reply quotes an original the page had to fetch; an uploaded image shows for another app user
 * through its signed URL. The token is never in a URL the page requests, and no read is refused.
 */
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { connect } from "../../packages/client/src/index";
import { PNG } from "../files/fixtures";
import { messageBox, newPerson, type Person, text, uniqueRoom, usePageFixture, waitForMessage, waitLive } from "./page-support";
import { AUTH_SECRET, sign } from "./token-support";

const PUSH_TOKEN = "token-required-push-token";
const fixture = usePageFixture({ vars: { AUTH_SECRET, AUTH_REQUIRED: "1", PUSH_TOKEN } });

/** A token user's page, with every request it makes to the room's API kept. */
async function arrive(room: string, sub: string, name: string): Promise<Person & { token: string; requests: Request[] }> {
  const token = await sign({ sub, name });
  const person = await newPerson(fixture.browser, name);
  const requests: Request[] = [];
  person.page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/")) requests.push(request);
  });
  await person.page.goto(`${fixture.server.url}/chat/${room}#token=${token}`);
  await waitLive(person.page);
  return { ...person, token, requests };
}

/** What the page's API requests carried: none has the token in its URL, and each sent it as a bearer or used a signed URL. */
async function expectTokenOnlyInHeaders(person: { token: string; requests: Request[] }): Promise<void> {
  for (const request of person.requests) {
    expect(request.url()).not.toContain(person.token);
    const signed = new URL(request.url()).searchParams.has("sig");
    if (!signed) expect(await request.headerValue("authorization")).toBe(`Bearer ${person.token}`);
  }
}

async function push(room: string, texts: string[]): Promise<void> {
  for (const text of texts) {
    const response = await fetch(`${fixture.server.url}/api/rooms/${room}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${PUSH_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ from: "Deploy", text }),
    });
    expect(response.status).toBe(201);
  }
}

/** More messages than the welcome carries (its newest 100), so what came before is not loaded. */
const FILLERS = Array.from({ length: 130 }, (_, i) => `filler ${i}`);

describe("the page with AUTH_REQUIRED=1", () => {
  it("searches over its socket and lands on a result older than the loaded history", async () => {
    const room = uniqueRoom("required-search");
    await push(room, ["the lighthouse keeper waves", ...FILLERS]);
    const alice = await arrive(room, "search-1", "Alice");
    await alice.page.locator("#search-input").fill("lighthouse");
    const hit = alice.page.locator("#search-results button.search-hit");
    await hit.first().waitFor();
    expect(await hit.first().locator("mark").allTextContents()).toEqual(["lighthouse"]);
    await hit.first().click();
    const landed = alice.page.locator("#messages li.msg.highlight");
    await landed.waitFor();
    expect(await landed.locator(".text").textContent()).toBe("the lighthouse keeper waves");
    // The search itself went over the socket; only the older history came over HTTP.
    expect(alice.requests.map((request) => new URL(request.url()).pathname)).not.toContain(`/api/rooms/${room}/search`);
    expect(alice.requests.some((request) => new URL(request.url()).pathname === `/api/rooms/${room}/messages`)).toBe(true);
    await expectTokenOnlyInHeaders(alice);
    expect(alice.errors).toEqual([]);
    await alice.context.close();
  });

  it("quotes the original of a reply to a message older than the loaded history", async () => {
    const room = uniqueRoom("required-quote");
    const bot = connect({ url: fixture.server.url, room, token: await sign({ sub: "asker", name: "Asker" }) });
    const original = await bot.send("which port does the staging box use?");
    await push(room, FILLERS);
    await bot.send("it was 8443 in the end", { replyTo: original.id });
    bot.close();
    const alice = await arrive(room, "quote-1", "Alice");
    await waitForMessage(alice.page, "it was 8443 in the end");
    const quote = alice.page.locator("#messages li.msg", { hasText: "it was 8443 in the end" }).locator(".quote");
    await expect.poll(() => quote.locator(".quote-text").textContent()).toBe("which port does the staging box use?");
    expect(await quote.locator(".quote-author").textContent()).toBe("Asker");
    await expectTokenOnlyInHeaders(alice);
    expect(alice.errors).toEqual([]);
    await alice.context.close();
  });

  it("uploads an image that another app user sees, through its signed URL", async () => {
    const room = uniqueRoom("required-files");
    const alice = await arrive(room, "files-1", "Alice");
    const bob = await arrive(room, "files-2", "Bob");
    const chooser = alice.page.waitForEvent("filechooser");
    await alice.page.getByRole("button", { name: text(alice.page, "files.attach") }).click();
    await (await chooser).setFiles([{ name: "red.png", mimeType: "image/png", buffer: Buffer.from(PNG) }]);
    const tray = alice.page.getByRole("list", { name: text(alice.page, "files.uploads") });
    await tray.getByText(text(alice.page, "files.ready", { name: "red.png" })).waitFor();
    await messageBox(alice.page).fill("a red square");
    await messageBox(alice.page).press("Enter");

    const image = bob.page.getByRole("log").getByRole("img", { name: "red.png" });
    await image.waitFor();
    await bob.page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>(".file-image img")].some((img) => img.complete && img.naturalWidth === 40),
    );
    const src = new URL((await image.getAttribute("src"))!, fixture.server.url);
    expect([...src.searchParams.keys()]).toEqual(["exp", "sig"]);
    // The URL opens the file on its own (a link, a download), and only until its exp.
    expect((await fetch(src)).status).toBe(200);
    src.searchParams.set("exp", String(Number(src.searchParams.get("exp")) + 3600));
    expect((await fetch(src)).status).toBe(403);
    for (const person of [alice, bob]) {
      await expectTokenOnlyInHeaders(person);
      expect(person.errors).toEqual([]);
      await person.context.close();
    }
  });
});
