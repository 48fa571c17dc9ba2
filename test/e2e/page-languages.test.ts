/**
 * The page in the browser's language: the main flow (landing page, name prompt, chat, presence,
 * typing, stats, times) in every locale; Chinese shown to a Chinese browser; the language switch,
 * remembered; and server errors translated by their code, never shown in the server's English.
 */
import type { Page, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { MAX_NAME_CHARS } from "../../src/wire/names";
import {
  exactly,
  join,
  LOCALES,
  languageOf,
  leave,
  logTexts,
  messageBox,
  openPage,
  say,
  text,
  uniqueRoom,
  usePageFixture,
  waitForMessage,
  waitLive,
} from "./page-support";

// Stats every second, so the server's periodic push shows within a test.
const fixture = usePageFixture({ vars: { STATS_INTERVAL_SECONDS: 1 } });

describe.each(LOCALES)("the main flow in %s", (locale) => {
  it("creates a room, joins, chats and sees who is there, all in the browser's language", async () => {
    const { context, page } = await openPage(fixture.browser, locale);
    await page.goto(fixture.server.url);
    expect(await page.locator("html").getAttribute("lang")).toBe(languageOf(locale));
    expect(await page.title()).toBe(text(page, "landing.title"));
    await page.getByRole("button", { name: text(page, "landing.create.button") }).click();
    await page.waitForURL(/\/chat\//);
    const room = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);

    await page.getByRole("dialog", { name: text(page, "name.heading") }).waitFor();
    const nameField = page.getByRole("textbox", { name: text(page, "name.label"), exact: true });
    await nameField.fill("  ");
    await nameField.press("Enter");
    const reason = text(page, "name.problem.length", { max: MAX_NAME_CHARS });
    await page
      .getByRole("alert")
      .filter({ hasText: text(page, "name.invalid", { reason }) })
      .waitFor();
    await nameField.fill("Alice");
    await nameField.press("Enter");
    await waitLive(page);
    expect(await page.title()).toBe(text(page, "room.title", { room }));

    const bob = await join(fixture.browser, fixture.server.url, room, "Bob", { locale });
    const online = page.getByRole("list", { name: text(page, "room.online") });
    await online.getByText("Bob").waitFor();
    expect(await online.getByText(text(page, "room.you"), { exact: true }).count()).toBe(1);
    await messageBox(bob.page).pressSequentially("Hi", { delay: 30 });
    await page.getByText(text(page, "typing.names", { count: 1, names: "Bob" })).waitFor();
    await messageBox(bob.page).press("Enter");
    await waitForMessage(page, "Hi");
    await say(page, "你好 Bob");
    await waitForMessage(bob.page, "你好 Bob");
    await page.getByText(text(page, "room.stats", { count: 2 })).waitFor();

    // Times as the language writes them, from the same instant as the machine-readable one.
    const time = page.getByRole("log").locator("li time").first();
    const datetime = (await time.getAttribute("datetime"))!;
    const expected = new Intl.DateTimeFormat(languageOf(locale), { hour: "numeric", minute: "2-digit" }).format(new Date(datetime));
    expect(await time.textContent()).toBe(expected);
    expect(await page.getByRole("button", { name: text(page, "composer.send") }).isVisible()).toBe(true);
    expect(await page.getByRole("log", { name: text(page, "log.label") }).isVisible()).toBe(true);
    await Promise.all([context.close(), leave(bob)]);
  });
});

describe("languages", () => {
  it("speaks Simplified Chinese to a browser that asks for it", async () => {
    const mei = await join(fixture.browser, fixture.server.url, uniqueRoom("zh"), "小美", { locale: "zh-CN" });
    expect(await mei.page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await mei.page.getByRole("status").textContent()).toBe("已连接");
    expect(await mei.page.getByRole("button", { name: "发送" }).isVisible()).toBe(true);
    expect(await mei.page.getByRole("textbox", { name: "消息" }).getAttribute("placeholder")).toBe("输入消息");
    expect(await mei.page.getByRole("combobox", { name: "语言" }).inputValue()).toBe("zh-CN");
    await mei.page.goto(`${fixture.server.url}/no/such/page`);
    await mei.page.getByRole("heading", { name: "未找到" }).waitFor();
    expect(await mei.page.title()).toBe("未找到 · Edge Chat");
    await leave(mei);
  });

  it("switches language with the switch, and remembers the choice on every page", async () => {
    const { context, page } = await openPage(fixture.browser, "en-US");
    await page.goto(fixture.server.url);
    const picker = page.getByRole("combobox", { name: "Language" });
    expect(await picker.inputValue()).toBe("en");
    // Each language is named in itself, so a reader finds their own.
    expect(await picker.locator("option").allTextContents()).toEqual(["English", "简体中文"]);
    await picker.focus();
    await Promise.all([page.waitForEvent("load"), picker.selectOption("zh-CN")]);
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.getByRole("heading", { level: 2 }).first().textContent()).toBe("创建私密聊天室");

    await page.goto(`${fixture.server.url}/chat/${uniqueRoom("switch")}`);
    expect(await page.getByRole("heading", { name: "加入聊天室" }).isVisible()).toBe(true);
    await page.getByRole("textbox", { name: "你的名字" }).fill("Ann");
    await page.getByRole("textbox", { name: "你的名字" }).press("Enter");
    await page
      .getByRole("status")
      .filter({ hasText: exactly("已连接") })
      .waitFor();
    const roomPicker = page.getByRole("combobox", { name: "语言" });
    await Promise.all([page.waitForEvent("load"), roomPicker.selectOption("en")]);
    await page
      .getByRole("status")
      .filter({ hasText: exactly("Live") })
      .waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await context.close();
  });

  it("switches only once the messages typed offline have gone, so none is lost", async () => {
    const room = uniqueRoom("switch-offline");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob");
    await bob.context.setOffline(true);
    await bob.page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
    await say(bob.page, "typed offline");
    await bob.page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
    // Still the same page, in English, with the message waiting and the switch saying why it waits.
    await bob.page
      .getByRole("status")
      .filter({ hasText: text(bob.page, "language.held") })
      .waitFor();
    expect(await bob.page.locator("html").getAttribute("lang")).toBe("en");
    expect(await bob.page.getByRole("log").locator("li.pending .text").allTextContents()).toEqual(["typed offline"]);

    await Promise.all([bob.page.waitForEvent("load"), bob.context.setOffline(false)]);
    expect(await bob.page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await bob.page
      .getByRole("status")
      .filter({ hasText: exactly("已连接") })
      .waitFor();
    await waitForMessage(alice.page, "typed offline");
    await waitForMessage(bob.page, "typed offline");
    expect(await logTexts(alice.page)).toEqual(["typed offline"]);
    expect(await logTexts(bob.page)).toEqual(["typed offline"]);
    await Promise.all([leave(alice), leave(bob)]);
  });

  it("translates the server's errors by their code, never showing its English message", async () => {
    const refuseOnCue = async (page: Page) => {
      await page.routeWebSocket(/\/chat\//, (ws: WebSocketRoute) => {
        const server = ws.connectToServer();
        ws.onMessage((raw) => {
          const frame = typeof raw === "string" && raw.startsWith("{") ? (JSON.parse(raw) as { type: string; text?: string; nonce?: string }) : undefined;
          if (frame?.text === "refuse this") {
            ws.send(JSON.stringify({ type: "error", code: "invalid_text", message: "SERVER ENGLISH one", nonce: frame.nonce }));
          } else {
            server.send(raw);
            if (frame?.text === "then complain") ws.send(JSON.stringify({ type: "error", code: "rate_limited", message: "SERVER ENGLISH two" }));
          }
        });
      });
    };
    const mei = await join(fixture.browser, fixture.server.url, uniqueRoom("errors"), "小美", { locale: "zh-CN", setup: refuseOnCue });
    await say(mei.page, "refuse this");
    const failed = mei.page.getByRole("log").locator("li.failed .delivery");
    await failed.waitFor();
    expect(await failed.textContent()).toBe("未发送：消息包含控制字符或无效的 Unicode");

    await say(mei.page, "then complain");
    await mei.page.getByRole("alert").filter({ hasText: "未发送：消息发送过快，请稍候。" }).waitFor();
    expect(await mei.page.locator("body").textContent()).not.toContain("SERVER ENGLISH");
    await leave(mei);
  });
});
