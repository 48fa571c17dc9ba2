import { describe, expect, it } from "vitest";
import { join, roomName } from "./helpers";

describe("broadcast", () => {
  it("delivers a message to every member, sender included, with the same id", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    alice.say("hello", "n1");
    const [a, b] = await Promise.all([alice.next("message"), bob.next("message")]);
    expect(a).toMatchObject({ id: 1, text: "hello", from: { name: "alice" }, nonce: "n1" });
    expect(b).toMatchObject({ id: 1, text: "hello", from: { name: "alice" } });
    expect(b.nonce).toBeUndefined();
  });
});
