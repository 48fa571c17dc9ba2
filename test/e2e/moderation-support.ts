/**
 * @module
 * Browser-test helpers for a moderated room: create a room from the landing page (its creator owns
 * it), act on a person from Online, change the room's settings, read the room's notices, and ask
 * the operator API. Accessible names only, in the page's language.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { Key } from "../../src/client/i18n/en";
import { enterName, newPerson, type Person, type PersonOptions, text } from "./page-support";

/** Opens the landing page, creates a room and joins it as `name`: its owner. Resolves once they own it. */
export async function createRoom(browser: Browser, baseUrl: string, name: string, options: PersonOptions = {}): Promise<Person & { room: string }> {
  const person = await newPerson(browser, name, options);
  const { page } = person;
  await page.goto(baseUrl);
  await page.getByRole("button", { name: text(page, "landing.create.button") }).click();
  await page.waitForURL(/\/chat\//);
  await enterName(page, name);
  await page.getByText(text(page, "room.owner"), { exact: true }).waitFor();
  return { ...person, room: new URL(page.url()).pathname.split("/")[2]! };
}

/** The Online list. */
export function online(page: Page): Locator {
  return page.getByRole("list", { name: new RegExp(text(page, "room.online")) });
}

/** The button of the actions menu on `name` in Online. */
export function personButton(page: Page, name: string): Locator {
  return online(page).getByRole("button", { name: text(page, "people.menu", { name }), exact: true });
}

/** The names of the menu items on `name` in Online. */
export async function personMenuItems(page: Page, name: string): Promise<string[]> {
  await personButton(page, name).click();
  const menu = page.getByRole("menu");
  const names = await menu.getByRole("menuitem").allTextContents();
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  return names;
}

/** Chooses `key` in the actions menu on `name` in Online. */
export async function actOn(page: Page, name: string, key: "people.kick" | "people.ban" | "people.promote" | "people.demote"): Promise<void> {
  await personButton(page, name).click();
  await page
    .getByRole("menu")
    .getByRole("menuitem", { name: text(page, key), exact: true })
    .click();
}

/** Kicks or bans `name` through the menu and its dialog; `length` is an option's label. */
export async function remove(page: Page, name: string, how: "kick" | "ban", { reason, length }: { reason?: string; length?: string } = {}): Promise<void> {
  await actOn(page, name, how === "kick" ? "people.kick" : "people.ban");
  const dialog = page.getByRole("dialog", { name: text(page, `${how}.heading`, { name }) });
  if (length !== undefined) await dialog.getByRole("combobox", { name: text(page, "ban.length") }).selectOption({ label: length });
  if (reason !== undefined) await dialog.getByRole("textbox", { name: text(page, "remove.reason") }).fill(reason);
  await dialog.getByRole("button", { name: text(page, `${how}.confirm`), exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
}

export interface SettingsChange {
  topic?: string;
  /** An option's label, as the panel shows it. */
  slow?: string;
  locked?: boolean;
}

/** Opens the settings panel, changes what is given and saves; resolves once the panel closed. */
export async function changeSettings(page: Page, { topic, slow, locked }: SettingsChange): Promise<void> {
  const dialog = await openSettings(page);
  if (topic !== undefined) await dialog.getByRole("textbox", { name: text(page, "settings.topic") }).fill(topic);
  if (slow !== undefined) await dialog.getByRole("combobox", { name: text(page, "settings.slow") }).selectOption({ label: slow });
  if (locked !== undefined) await dialog.getByRole("checkbox", { name: text(page, "settings.lock") }).setChecked(locked);
  await dialog.getByRole("button", { name: text(page, "settings.save") }).click();
  await dialog.waitFor({ state: "hidden" });
}

export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: text(page, "room.settings") }).click();
  const dialog = page.getByRole("dialog", { name: text(page, "room.settings") });
  await dialog.waitFor();
  return dialog;
}

/** Waits for the room's notice `key` (with its parameters) in the log. */
export async function waitForNotice(page: Page, key: Key, params?: Record<string, string | number>): Promise<void> {
  await notices(page)
    .getByText(text(page, key, params))
    .first()
    .waitFor();
}

/** The room's notices in the log, in order. */
export function notices(page: Page): Locator {
  return page.getByRole("log").locator("li.system");
}

/** The removal notice, where the composer was. */
export function removalNotice(page: Page): Locator {
  return page.getByRole("alert").filter({ has: page.locator("#removal-text") });
}

/** The person's uid, from the author of a message of theirs in the log. */
export async function uidOf(page: Page, body: string): Promise<string> {
  const uid = await page.getByRole("log").locator("li[data-id]").filter({ hasText: body }).first().getAttribute("data-from");
  expect(uid).toMatch(/^u_/);
  return uid!;
}

/** Counts the WebSockets `page` opens from now on. */
export function countSockets(page: Page): () => number {
  let opened = 0;
  page.on("websocket", () => opened++);
  return () => opened;
}
