/**
 * Presence at scale (src/room/presence.ts): past the roster limit (20 in this project) the welcome lists
 * a sample with the exact count, and joins and leaves arrive as counts, not one frame per person.
 */
import { describe, expect, it } from "vitest";
import { join, roomName } from "../helpers";
import { crowd, info } from "./helpers";

const LIMIT = 20;

describe("presence in a crowd", () => {
  it("welcomes with a bounded roster, the newcomer included, and the exact online count", async () => {
    const room = roomName("roster");
    await crowd(room, LIMIT + 5);
    const newcomer = await join(room, "newcomer", undefined, { batch: true });
    const welcome = await newcomer.welcome();
    expect(welcome.online).toBe(LIMIT + 6);
    expect(welcome.members).toHaveLength(LIMIT);
    expect(welcome.members.at(-1)!.name).toBe("newcomer");
    expect(welcome.members.slice(0, 3).map((m) => m.name)).toEqual(["m0", "m1", "m2"]);
  });

  it("lists everyone, as always, while the room is within the roster limit", async () => {
    const room = roomName("small");
    await crowd(room, LIMIT - 2);
    const welcome = await (await join(room, "newcomer")).welcome();
    expect(welcome.members).toHaveLength(LIMIT - 1);
    expect(welcome.online).toBe(LIMIT - 1);
  });

  it("announces joins past the limit as counted presence frames, at most one a second", async () => {
    const room = roomName("counted");
    const [first] = await crowd(room, LIMIT);
    await crowd(room, 6, "late");
    const summary = await first!.next("presence", 1, 5000);
    expect(summary).toEqual({ type: "presence", online: LIMIT + 6, joined: 6, left: 0 });
    expect(first!.ofType("join").map((j) => j.member.name)).not.toContain("late0");
    expect(first!.ofType("presence")).toHaveLength(1);
  });

  it("counts leaves in a crowd and names them again once the room is small", async () => {
    const room = roomName("leaving");
    const members = await crowd(room, LIMIT + 2);
    const watcher = members[0]!;
    members[LIMIT + 1]!.close();
    const summary = await watcher.next("presence", 1, 5000);
    expect(summary).toMatchObject({ online: LIMIT + 1, left: 1 });
    members[LIMIT]!.close();
    members[LIMIT - 1]!.close();
    await watcher.until(() => watcher.ofType("leave").length === 2, 5000, "two named leaves");
    expect(
      watcher
        .ofType("leave")
        .map((l) => l.member.name)
        .sort(),
    ).toEqual([`m${LIMIT - 1}`, `m${LIMIT}`]);
    expect((await info(room)).online).toBe(LIMIT - 1);
  });
});
