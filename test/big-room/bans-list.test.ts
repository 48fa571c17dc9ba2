/**
 * The list of bans in a room spread over fan-out objects (SHARD_MEMBERS = 5 here): a moderator
 * whose socket a fan-out object holds asks it like anyone; the answer travels with the room's
 * flush to that connection alone, and a member there is refused.
 */
import { describe, expect, it } from "vitest";
import { newSecret } from "../../src/identity/identity";
import { join, roomName } from "../helpers";
import { act, bansOf, listBans, welcomeOf } from "../moderation-helpers";
import { crowd, SHARD_MEMBERS, socketsPerObject } from "./helpers";

/** A claimed room whose own object is full, with a moderator and a member on fan-out object 1. */
async function spreadRoom() {
  const room = roomName("bans-big");
  const owner = await join(room, "olive", undefined, { batch: true, key: newSecret() });
  await act(owner, { type: "claim" });
  const crowded = await crowd(room, SHARD_MEMBERS - 1);
  const moderator = await join(room, "max", undefined, { batch: true, key: newSecret() });
  const member = await join(room, "mia", undefined, { batch: true, key: newSecret() });
  await act(owner, { type: "promote", uid: welcomeOf(moderator).you.uid });
  expect(await socketsPerObject(room, 1)).toEqual([SHARD_MEMBERS, 2]);
  return { owner, crowded, moderator, member };
}

describe("the list of bans across fan-out objects", () => {
  it("reaches a moderator on a fan-out object, with a ban taken in the room's own object", async () => {
    const { owner, crowded, moderator } = await spreadRoom();
    const target = welcomeOf(crowded[0]!).you;
    await act(owner, { type: "ban", uid: target.uid, reason: "spam" });
    const { bans } = await bansOf(moderator);
    expect(bans).toEqual([{ uid: target.uid, name: target.name, reason: "spam", until: null, since: expect.any(Number), by: welcomeOf(owner).you.uid }]);
    await owner.none("bans", 300);
  });

  it("is refused to a member on a fan-out object", async () => {
    const { member } = await spreadRoom();
    expect(await listBans(member)).toMatchObject({ type: "error", code: "forbidden" });
  });
});
