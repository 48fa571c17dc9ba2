/**
 * MESSAGE_HOOK_FAILURE=reject (the webhooks-strict project in vitest.config.ts): a hook that times
 * out, fails or answers nonsense keeps the message out, and its sender hears `rejected`.
 */
import { describe, expect, it } from "vitest";
import { answer, join, roomName } from "../../helpers";
import { storedRows } from "../../reliability-helpers";

describe("a failing message hook under MESSAGE_HOOK_FAILURE=reject", () => {
  it.each(["hang on", "hostile:json", "hostile:huge", "hostile:replace", "hostile:500"])("refuses %s with `rejected` and stores nothing", async (text) => {
    const room = roomName("strict");
    const alice = await join(room, "alice");
    expect(await answer(alice, { type: "message", text })).toMatchObject({ type: "error", code: "rejected" });
    expect(await storedRows(room)).toEqual([]);
  });

  it("still stores what the hook allows", async () => {
    const room = roomName("strict-ok");
    const alice = await join(room, "alice");
    expect(await answer(alice, { type: "message", text: "fine" })).toMatchObject({ type: "message", text: "fine" });
  });
});
