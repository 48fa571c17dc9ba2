import { describe, expect, it } from "vitest";
import { type Client, join, roomName } from "../helpers";

async function room(): Promise<{ sender: Client; bystander: Client }> {
  const name = roomName();
  const sender = await join(name, "sender");
  const bystander = await join(name, "bystander");
  return { sender, bystander };
}

/** After a refusal, the room still works and stored nothing: the next message gets id 1. */
async function stillHealthy(sender: Client, bystander: Client): Promise<void> {
  sender.say("after");
  expect(await bystander.next("message")).toMatchObject({ id: 1, text: "after" });
}

describe("bad input gets its own error and changes nothing", () => {
  it.each([
    ["invalid JSON", "{not json", "invalid_json"],
    ["a JSON array", "[1,2]", "invalid_frame"],
    ["a frame without type", '{"text":"hi"}', "invalid_frame"],
    ["an unknown type", '{"type":"shout","text":"hi"}', "unknown_type"],
    ["a missing text", '{"type":"message"}', "invalid_text"],
    ["a numeric text", '{"type":"message","text":42}', "invalid_text"],
    ["an empty text", '{"type":"message","text":""}', "empty_text"],
    ["a whitespace-only text", '{"type":"message","text":" \\n\\t "}', "empty_text"],
    ["a lone surrogate", '{"type":"message","text":"a\\ud800b"}', "invalid_text"],
    ["a control character", '{"type":"message","text":"a\\u0000b"}', "invalid_text"],
    ["a text over the limit", JSON.stringify({ type: "message", text: "x".repeat(2001) }), "text_too_long"],
    ["a bad nonce", '{"type":"message","text":"hi","nonce":"has space"}', "invalid_nonce"],
  ])("refuses %s", async (_what, frame, code) => {
    const { sender, bystander } = await room();
    sender.send(frame);
    expect(await sender.next("error")).toMatchObject({ type: "error", code });
    await stillHealthy(sender, bystander);
    expect(bystander.ofType("error")).toHaveLength(0);
  });

  it("accepts a text of exactly the limit, counted in characters", async () => {
    const { sender } = await room();
    sender.say("😀".repeat(2000));
    expect((await sender.next("message")).text).toHaveLength(4000);
  });

  it("echoes the nonce of a refused message so the client can mark it", async () => {
    const { sender } = await room();
    sender.say("", "n-empty");
    expect(await sender.next("error")).toMatchObject({ code: "empty_text", nonce: "n-empty" });
  });

  it("refuses binary frames", async () => {
    const { sender, bystander } = await room();
    sender.ws.send(new Uint8Array([1, 2, 3]));
    expect(await sender.next("error")).toMatchObject({ code: "binary_unsupported" });
    await stillHealthy(sender, bystander);
  });

  it("closes with 1009 on a frame over the size limit, announced as a leave", async () => {
    const { sender, bystander } = await room();
    sender.send(JSON.stringify({ type: "message", text: "x".repeat(20_000) }));
    await sender.until(() => sender.closed, 3000, "close");
    expect(sender.closed?.code).toBe(1009);
    expect((await bystander.next("leave")).member.name).toBe("sender");
    bystander.say("after");
    expect(await bystander.next("message")).toMatchObject({ id: 1, text: "after" });
  });
});

describe("rate limit", () => {
  it("refuses messages over the burst with rate_limited, storing none of them", async () => {
    const { sender, bystander } = await room();
    for (let i = 0; i < 30; i++) sender.say(`m${i}`, `n${i}`);
    await sender.until(() => sender.ofType("message").length + sender.ofType("error").length >= 30);
    const refused = sender.ofType("error");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.code === "rate_limited" && e.nonce !== undefined)).toBe(true);
    const accepted = sender.ofType("message").length;
    expect(accepted).toBeGreaterThanOrEqual(20);
    await bystander.until(() => bystander.ofType("message").length === accepted);
    await bystander.none("message", 200);
  });

  it("refills the bucket over time", async () => {
    const { sender } = await room();
    for (let i = 0; i < 25; i++) sender.say(`m${i}`);
    await sender.next("error");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = sender.ofType("message").length;
    sender.say("later");
    await sender.until(() => sender.ofType("message").length > before);
  });
});
