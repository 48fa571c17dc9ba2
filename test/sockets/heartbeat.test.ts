import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { ChatRoom } from "../../src/room/chat-room";
import { join, roomName } from "../helpers";

describe("heartbeat", () => {
  it("answers ping with pong without calling the room's message handler", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const stub = env.ROOMS.getByName(room);
    const spy = await runInDurableObject(stub, (instance: ChatRoom) => vi.spyOn(instance, "webSocketMessage"));

    for (let i = 0; i < 5; i++) alice.send("ping");
    await alice.until(() => alice.raw.filter((frame) => frame === "pong").length === 5, 3000, "5 pongs");
    expect(spy).not.toHaveBeenCalled();

    // The spy does see real frames, so the silence above means something.
    alice.send({ type: "typing" });
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
  });

  it("records the last auto-response on the socket", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    alice.send("ping");
    await alice.until(() => alice.raw.includes("pong"));
    const answered = await runInDurableObject(env.ROOMS.getByName(room), (_instance, state) =>
      state.getWebSockets().map((ws) => state.getWebSocketAutoResponseTimestamp(ws)),
    );
    expect(answered).toHaveLength(1);
    expect(answered[0]).toBeInstanceOf(Date);
  });
});
