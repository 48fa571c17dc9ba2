/**
 * Searching from the page: `/` focuses the box, the results list the match with its words
 * marked, and choosing one older than the loaded history (the welcome holds the newest 100) loads
 * it into the log and highlights it, by keyboard alone; axe finds nothing with the results open.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { join, uniqueRoom, usePageFixture } from "./page-support";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PUSH_TOKEN = "search-test-token";
const fixture = usePageFixture({ vars: { PUSH_TOKEN } });

async function push(room: string, text: string): Promise<void> {
  const response = await fetch(`${fixture.server.url}/api/rooms/${room}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${PUSH_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ from: "Deploy", text }),
  });
  expect(response.status).toBe(201);
}

it("finds a message older than the loaded history and lands on it, by keyboard", async () => {
  const room = uniqueRoom("search");
  await push(room, "the lighthouse keeper waves 你好");
  for (let i = 0; i < 130; i++) await push(room, `filler ${i}`);
  const { page, context } = await join(fixture.browser, fixture.server.url, room, "alice");
  await page.locator("#log").focus();
  await page.keyboard.press("/");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-input");
  await page.keyboard.type("lighthouse");
  const hit = page.locator("#search-results button.search-hit");
  await hit.first().waitFor();
  expect(await hit.first().locator("mark").allTextContents()).toEqual(["lighthouse"]);
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () =>
    (await (window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe.run()).violations.map((v) => v.id),
  );
  expect(violations).toEqual([]);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const landed = page.locator("#messages li.msg.highlight");
  await landed.waitFor();
  expect(await landed.locator(".text").textContent()).toBe("the lighthouse keeper waves 你好");
  expect(await page.evaluate(() => document.activeElement?.classList.contains("highlight"))).toBe(true);
  await context.close();
}, 60_000);
