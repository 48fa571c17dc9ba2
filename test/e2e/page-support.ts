/**
 * @module
 * Helpers for the browser tests: one headless Chromium per test file, one browser context per
 * person (so each has their own localStorage and socket), and accessible selectors only.
 */
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { chooseLanguage, type Language, translate } from "../../src/client/i18n/catalog";
import type { Key } from "../../src/client/i18n/en";
import { type DevServer, type DevServerOptions, startDevServer } from "../support/dev-server";

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/** The browser locales the tests run in; each picks one of the page's languages. */
export const LOCALES = ["en-US", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

const languages = new WeakMap<Page, Language>();

/** The page's language in a browser whose only language is `locale`, as the page chooses it. */
export function languageOf(locale: Locale): Language {
  return chooseLanguage(undefined, [locale]);
}

/** A string as `page` shows it, in the language its browser context asked for. */
export function text(page: Page, key: Key, params?: Record<string, string | number>): string {
  return translate(languages.get(page) ?? "en", key, params);
}

/** A fresh browser context and page speaking `locale`; helpers then look for that language's text. */
export async function openPage(
  browser: Browser,
  locale: Locale = "en-US",
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, ...options });
  const page = await context.newPage();
  languages.set(page, languageOf(locale));
  return { context, page };
}

export interface PageFixture {
  server: DevServer;
  browser: Browser;
}

/**
 * One `wrangler dev` and one Chromium for the calling test file, up before its tests, down after.
 * `browserArgs` are extra Chromium switches (the embedding tests block third-party cookies).
 */
export function usePageFixture(options?: DevServerOptions, browserArgs: string[] = []): PageFixture {
  const fixture = {} as PageFixture;
  beforeAll(async () => {
    [fixture.server, fixture.browser] = await Promise.all([startDevServer(options), launchBrowser(browserArgs)]);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

function launchBrowser(extra: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      ...extra,
    ],
  });
}

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Messages of every alert/confirm/prompt the page opened: a script injection would show here. */
  dialogs: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
}

export interface PersonOptions {
  viewport?: { width: number; height: number };
  colorScheme?: "light" | "dark";
  /** Installs Playwright's controllable clock before the page loads, for timer-driven tests. */
  clock?: boolean;
  /** The browser's language; English by default. */
  locale?: Locale;
  /** A phone's touch screen: `(pointer: coarse)` matches. */
  touch?: boolean;
  /** Runs before the page loads: init scripts, permissions. */
  setup?: (page: Page) => Promise<void>;
}

/** Opens a fresh browser context, loads the room page and joins as `name`; resolves once live. */
export async function join(browser: Browser, baseUrl: string, room: string, name: string, options: PersonOptions = {}): Promise<Person> {
  const person = await newPerson(browser, name, options);
  await person.page.goto(`${baseUrl}/chat/${room}`);
  await enterName(person.page, name);
  return person;
}

/** A fresh browser context and page for `name`, nothing loaded yet, with dialogs and errors recorded. */
export async function newPerson(browser: Browser, name: string, options: PersonOptions = {}): Promise<Person> {
  const { context, page } = await openPage(browser, options.locale, {
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? "light",
    ...(options.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  if (options.clock) await page.clock.install();
  await options.setup?.(page);
  const person: Person = { name, context, page, dialogs: [], errors: [] };
  page.on("dialog", (dialog) => {
    person.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => person.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") person.errors.push(message.text());
  });
  return person;
}

/** Answers the room page's name prompt; resolves once live. */
export async function enterName(page: Page, name: string): Promise<void> {
  const nameField = page.getByRole("textbox", { name: text(page, "name.label"), exact: true });
  await nameField.fill(name);
  await nameField.press("Enter");
  await waitLive(page);
}

export async function waitLive(page: Page): Promise<void> {
  await page
    .getByRole("status")
    .filter({ hasText: exactly(text(page, "status.live")) })
    .waitFor();
}

/** Types into the message box and presses Enter, as a keyboard user would. */
export async function say(page: Page, message: string): Promise<void> {
  const input = messageBox(page);
  await input.fill(message);
  await input.press("Enter");
}

export function messageBox(page: Page): Locator {
  return page.getByRole("textbox", { name: text(page, "composer.label"), exact: true });
}

/** The log's message texts, in order (pending ones included). */
export function logTexts(page: Page): Promise<string[]> {
  return page.getByRole("log").locator("li .text").allTextContents();
}

/** Waits until `text` appears in the log as a delivered (not pending) message. */
export async function waitForMessage(page: Page, text: string): Promise<void> {
  await page.getByRole("log").locator("li:not(.pending) .text").getByText(text, { exact: true }).first().waitFor();
}

export async function leave(person: Person): Promise<void> {
  await person.context.close();
}

/** Hides or shows the tab as the browser would: `document.hidden`, then `visibilitychange`. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/** Matches exactly `literal`, for `hasText` filters that would otherwise match a substring. */
export function exactly(literal: string): RegExp {
  return new RegExp(`^${literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}

export function uniqueRoom(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
