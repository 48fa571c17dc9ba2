/**
 * A member whose socket lives on a fan-out object searches the same history: its `search` frame
 * goes to the room's object and the answer comes back to that socket alone.
 */
import { expect, it } from "vitest";
import { roomName } from "../helpers";
import { searchFrame } from "../search/helpers";
import { crowd, SHARD_MEMBERS } from "./helpers";

it("answers a search from a member on a fan-out object", async () => {
  const room = roomName("search");
  const members = await crowd(room, SHARD_MEMBERS + 1);
  const here = members[0]!;
  const there = members.at(-1)!;
  here.say("the lighthouse keeper", "n1");
  await there.until(() => there.ofType("message").length >= 1, 5000, "the message");
  const reply = await searchFrame(there, { q: "lighthouse" });
  expect(reply).toMatchObject({ type: "search_results", messages: [expect.objectContaining({ text: "the lighthouse keeper", highlight: [[4, 14]] })] });
  expect((await searchFrame(there, { q: "" })).type).toBe("error");
  await here.none("search_results", 100);
});
