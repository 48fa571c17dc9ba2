/**
 * Files in a real browser against `wrangler dev` and its local R2: one person attaches a PNG and a
 * PDF; another sees the image inline at its size and the PDF as a chip, and downloads it intact.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PDF, PNG } from "../files/fixtures";
import { join, LOCALES, leave, messageBox, text, uniqueRoom, usePageFixture } from "./page-support";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const fixture = usePageFixture();

async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } };
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** Picks files through the attach button's file chooser, as a person would. */
async function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: text(page, "files.attach") }).click();
  await (await chooser).setFiles(files);
}

describe.each(LOCALES)("files on the page in %s", (locale) => {
  it("sends a PNG and a PDF; the other person sees the image inline and downloads the PDF intact", async () => {
    const room = uniqueRoom("files");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice", { locale });
    const bob = await join(fixture.browser, fixture.server.url, room, "Bob", { locale });

    await attach(alice.page, [
      { name: "red.png", mimeType: "image/png", buffer: Buffer.from(PNG) },
      { name: "notes.pdf", mimeType: "application/pdf", buffer: Buffer.from(PDF) },
    ]);
    const tray = alice.page.getByRole("list", { name: text(alice.page, "files.uploads") });
    await tray.getByText(text(alice.page, "files.ready", { name: "red.png" })).waitFor();
    await tray.getByText(text(alice.page, "files.ready", { name: "notes.pdf" })).waitFor();
    await messageBox(alice.page).fill("two files");
    await messageBox(alice.page).press("Enter");
    await tray.waitFor({ state: "hidden" });

    const log = bob.page.getByRole("log");
    const image = log.getByRole("img", { name: "red.png" });
    await image.waitFor();
    expect(await image.getAttribute("loading")).toBe("lazy");
    expect([await image.getAttribute("width"), await image.getAttribute("height")]).toEqual(["40", "30"]);
    await bob.page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>(".file-image img")].every((img) => img.complete && img.naturalWidth === 40),
    );

    // A chip is named by what it shows: the file's name, type and size.
    const chip = log.getByRole("link", { name: /^notes\.pdf PDF · / });
    await chip.waitFor();
    const download = bob.page.waitForEvent("download");
    await chip.click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe("notes.pdf");
    expect(new Uint8Array(readFileSync((await saved.path())!))).toEqual(PDF);

    // Full size in a dialog; Escape closes it and focus returns to the thumbnail.
    const open = log.getByRole("button", { name: text(bob.page, "files.open", { name: "red.png" }) });
    await open.click();
    const dialog = bob.page.getByRole("dialog");
    await dialog.getByRole("img", { name: "red.png" }).waitFor();
    expect(await violations(bob.page)).toEqual([]);
    await bob.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await open.evaluate((node) => node === document.activeElement)).toBe(true);

    expect(await violations(bob.page)).toEqual([]);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
    await Promise.all([leave(alice), leave(bob)]);
  });
});

describe("refused and cancelled uploads", () => {
  it("shows a refused file's reason in the person's language and sends nothing for it", async () => {
    const room = uniqueRoom("files-refused");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice", { locale: "zh-CN" });
    await attach(alice.page, [{ name: "tool.exe", mimeType: "image/png", buffer: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]) }]);
    const reason = text(alice.page, "error.unsupported_type");
    await alice.page.getByRole("alert").filter({ hasText: reason }).waitFor();
    expect(await violations(alice.page)).toEqual([]);
    await leave(alice);
  });

  it("cancels an upload in flight: its row goes and the message goes without it", async () => {
    const room = uniqueRoom("files-cancel");
    const alice = await join(fixture.browser, fixture.server.url, room, "Alice");
    // The upload never gets an answer, as on a slow link.
    await alice.page.route("**/api/rooms/*/files", () => undefined);
    await attach(alice.page, [{ name: "slow.png", mimeType: "image/png", buffer: Buffer.from(PNG) }]);
    const tray = alice.page.getByRole("list", { name: text(alice.page, "files.uploads") });
    await tray.getByRole("progressbar", { name: text(alice.page, "files.uploading", { name: "slow.png" }) }).waitFor();
    await messageBox(alice.page).fill("no file after all");
    await messageBox(alice.page).press("Enter");
    await alice.page
      .getByRole("alert")
      .filter({ hasText: text(alice.page, "files.stillUploading") })
      .waitFor();
    await tray.getByRole("button", { name: text(alice.page, "files.cancel", { name: "slow.png" }) }).click();
    await tray.waitFor({ state: "hidden" });
    await messageBox(alice.page).press("Enter");
    await alice.page.getByRole("log").getByText("no file after all").waitFor();
    expect(await alice.page.locator(".messages .files").count()).toBe(0);
    await leave(alice);
  });
});
