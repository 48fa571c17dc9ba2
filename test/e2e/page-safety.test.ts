/**
 * Safe by construction: hostile names, messages, edits and replies render as text and run nothing,
 * under the CSP.
 */
import { describe, expect, it } from "vitest";
import { choose } from "./message-support";
import { join, leave, logTexts, say, text, uniqueRoom, usePageFixture, waitForMessage } from "./page-support";

const HOSTILE = "<img src=x onerror=alert(1)>";
const HOSTILE_NAME = "<b onmouseover=alert(2)>x</b>";

const fixture = usePageFixture();

describe("hostile input", () => {
  it("shows markup in names and messages literally and runs nothing", async () => {
    const room = uniqueRoom("xss");
    const mallory = await join(fixture.browser, fixture.server.url, room, HOSTILE);
    const victim = await join(fixture.browser, fixture.server.url, room, "Victim");
    const other = await join(fixture.browser, fixture.server.url, room, HOSTILE_NAME);

    await say(mallory.page, HOSTILE);
    await say(other.page, `"><script>alert(3)</script>`);
    await waitForMessage(victim.page, HOSTILE);
    await waitForMessage(victim.page, `"><script>alert(3)</script>`);

    expect(await logTexts(victim.page)).toEqual([HOSTILE, `"><script>alert(3)</script>`]);
    const authors = await victim.page.getByRole("log").locator(".author").allTextContents();
    expect(authors).toEqual([HOSTILE, HOSTILE_NAME]);
    const online = victim.page.getByRole("list", { name: /Online/ });
    await online.getByText(HOSTILE, { exact: true }).waitFor();
    await online.getByText(HOSTILE_NAME, { exact: true }).waitFor();

    // No element was created from the text: no <img> (but the image dialog's own), <b> or <script> in the content.
    const injected = await victim.page.evaluate(
      () => document.querySelectorAll(".room img:not([src='/favicon.svg']):not(#image-full), .room b, .room script").length,
    );
    expect(injected).toBe(0);
    await victim.page.getByRole("log").locator(".author").first().hover();
    await victim.page.waitForTimeout(300);
    for (const person of [mallory, victim, other]) {
      expect(person.dialogs).toEqual([]);
      expect(person.errors).toEqual([]);
    }
    await Promise.all([leave(mallory), leave(victim), leave(other)]);
  });

  it("shows markup in edits, replies and their quotes literally and runs nothing", async () => {
    const room = uniqueRoom("xss-actions");
    const mallory = await join(fixture.browser, fixture.server.url, room, HOSTILE_NAME);
    const victim = await join(fixture.browser, fixture.server.url, room, "Victim");
    await say(mallory.page, "harmless");
    await waitForMessage(mallory.page, "harmless");
    await choose(mallory.page, "harmless", "menu.edit");
    await mallory.page.getByRole("textbox", { name: text(mallory.page, "edit.label") }).fill(HOSTILE);
    await mallory.page.keyboard.press("Enter");
    await waitForMessage(victim.page, HOSTILE);
    await choose(mallory.page, HOSTILE, "menu.reply");
    await say(mallory.page, `"><script>alert(3)</script>`);
    await waitForMessage(victim.page, `"><script>alert(3)</script>`);
    // The victim replies too: the quote of the hostile message in the reply bar and in the log.
    await choose(victim.page, `"><script>alert(3)</script>`, "menu.reply");
    expect(await victim.page.locator("#reply-label").textContent()).toBe(
      text(victim.page, "reply.replyingTo", { name: HOSTILE_NAME, text: `"><script>alert(3)</script>` }),
    );
    await say(victim.page, "answered");
    await waitForMessage(victim.page, "answered");

    expect(await logTexts(victim.page)).toEqual([HOSTILE, `"><script>alert(3)</script>`, "answered"]);
    const quotes = victim.page.getByRole("log").locator(".quote");
    expect(await quotes.locator(".quote-author").allTextContents()).toEqual([HOSTILE_NAME, HOSTILE_NAME]);
    expect(await quotes.locator(".quote-text").allTextContents()).toEqual([HOSTILE, `"><script>alert(3)</script>`]);
    const injected = await victim.page.evaluate(
      () => document.querySelectorAll(".room img:not([src='/favicon.svg']):not(#image-full), .room b, .room script").length,
    );
    expect(injected).toBe(0);
    await quotes.first().hover();
    await quotes.first().click();
    await victim.page.waitForTimeout(300);
    for (const person of [mallory, victim]) {
      expect(person.dialogs).toEqual([]);
      expect(person.errors).toEqual([]);
    }
    await Promise.all([leave(mallory), leave(victim)]);
  });

  it("links only http(s) URLs, to open in a new tab and pass nothing on; hostile ones stay inert text", async () => {
    const room = uniqueRoom("links");
    const mallory = await join(fixture.browser, fixture.server.url, room, "Mallory");
    const victim = await join(fixture.browser, fixture.server.url, room, "Victim");
    const hostile = [
      "javascript:alert(4)",
      "data:text/html,<script>alert(5)</script>",
      `https://x.example"onmouseover="alert(6)`,
      "https://x.example/\u202Egnp.exe",
      "see https://\u0430pple.com/login now",
      "fine: https://example.com/a?b=<c>",
    ];
    for (const message of hostile) await say(mallory.page, message);
    await waitForMessage(victim.page, hostile.at(-1)!);

    expect(await logTexts(victim.page)).toEqual(hostile);
    const links = victim.page.getByRole("log").getByRole("link");
    const attributes = await links.evaluateAll((anchors) =>
      anchors.map((a) => ({
        text: a.textContent,
        href: a.getAttribute("href"),
        target: a.getAttribute("target"),
        rel: a.getAttribute("rel"),
        attributes: a.attributes.length,
      })),
    );
    const safe = { target: "_blank", rel: "noopener noreferrer nofollow ugc", attributes: 3 };
    expect(attributes).toEqual([
      { text: "https://x.example", href: "https://x.example/", ...safe },
      { text: "https://x.example/", href: "https://x.example/", ...safe },
      { text: "https://\u0430pple.com/login", href: "https://xn--pple-43d.com/login", ...safe },
      { text: "https://example.com/a?b=", href: "https://example.com/a?b=", ...safe },
    ]);
    // Hovering and clicking what was typed as a script runs nothing.
    await victim.page.getByRole("log").getByText("javascript:alert(4)").click();
    await links.first().hover();
    await victim.page.waitForTimeout(300);
    expect(victim.page.context().pages()).toHaveLength(1);
    for (const person of [mallory, victim]) {
      expect(person.dialogs).toEqual([]);
      expect(person.errors).toEqual([]);
    }
    await Promise.all([leave(mallory), leave(victim)]);
  });

  it("sends the security headers with every page", async () => {
    for (const path of ["/", "/chat/lobby", "/style.css", "/app.js"]) {
      const response = await fetch(`${fixture.server.url}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });
});
