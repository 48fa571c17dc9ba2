import { describe, expect, it } from "vitest";
import { join, request, roomName } from "../helpers";

const TOKEN = "test-push-token"; // vitest.config.ts binds PUSH_TOKEN to this

function push(room: string, body: unknown, token: string | null = TOKEN): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return request(`/api/rooms/${room}/messages`, { method: "POST", headers, body: JSON.stringify(body) });
}

async function latestId(room: string): Promise<number> {
  return ((await (await request(`/api/rooms/${room}`)).json()) as { latestId: number }).latestId;
}

describe("server push", () => {
  it("stores and broadcasts a bot message with the right token", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const response = await push(room, { text: "build green", from: "ci" });
    expect(response.status).toBe(201);
    const { message } = (await response.json()) as { message: { id: number } };
    expect(message).toMatchObject({ id: 1, text: "build green", from: { name: "ci", bot: true } });
    expect(await alice.next("message")).toMatchObject({ id: 1, text: "build green", from: { name: "ci", bot: true } });
  });

  it.each([
    ["no token", null],
    ["a wrong token", "wrong-token"],
    ["an empty token", ""],
  ])("refuses %s with 401 and stores nothing", async (_what, token) => {
    const room = roomName();
    const response = await push(room, { text: "sneaky", from: "mallory" }, token);
    expect(response.status).toBe(401);
    expect(await latestId(room)).toBe(0);
  });

  it.each([
    ["a body that is not JSON", "not json", "invalid_body"],
    ["an empty text", { text: " ", from: "ci" }, "empty_text"],
    ["a missing from", { text: "hi" }, "invalid_name"],
    ["a from that poses as a bot", { text: "hi", from: "ci [bot]" }, "invalid_name"],
    ["a text over the limit", { text: "x".repeat(2001), from: "ci" }, "text_too_long"],
  ])("refuses %s with 400 and stores nothing", async (_what, body, code) => {
    const room = roomName();
    const response =
      typeof body === "string"
        ? await request(`/api/rooms/${room}/messages`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}` },
            body,
          })
        : await push(room, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await latestId(room)).toBe(0);
  });

  it("stores a retried push with the same nonce once", async () => {
    const room = roomName();
    await push(room, { text: "deploy done", from: "ci", nonce: "deploy-42" });
    const again = await push(room, { text: "deploy done", from: "ci", nonce: "deploy-42" });
    expect(again.status).toBe(201);
    expect(await latestId(room)).toBe(1);
  });
});

describe("room state", () => {
  it("reports online count, latest id and creation time", async () => {
    const room = roomName();
    const before = Date.now();
    const alice = await join(room, "alice");
    alice.say("hi");
    await alice.next("message");
    const state = (await (await request(`/api/rooms/${room}`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ online: 1, latestId: 1, oldestId: 1 });
    expect(state.createdAt).toBeGreaterThanOrEqual(before);
  });

  it("reports an unused room as empty without creating it", async () => {
    const room = roomName();
    expect(await (await request(`/api/rooms/${room}`)).json()).toEqual({
      online: 0,
      shards: 0,
      latestId: 0,
      oldestId: null,
      createdAt: null,
      storageBytes: expect.any(Number),
    });
  });

  it("refuses an invalid room name with 400", async () => {
    expect((await request("/api/rooms/not%20valid")).status).toBe(400);
  });
});

describe("history paging", () => {
  async function roomWith(count: number): Promise<string> {
    const room = roomName();
    for (let i = 1; i <= count; i++) await push(room, { text: `m${i}`, from: "ci" });
    return room;
  }

  async function page(room: string, query: string) {
    const response = await request(`/api/rooms/${room}/messages${query}`);
    return { status: response.status, body: (await response.json()) as { messages: { id: number }[]; nextBefore: number | null } };
  }

  it("pages backwards from the newest message, oldest first in each page", async () => {
    const room = await roomWith(5);
    const first = await page(room, "?limit=2");
    expect(first.body.messages.map((m) => m.id)).toEqual([4, 5]);
    expect(first.body.nextBefore).toBe(4);
    const second = await page(room, "?limit=2&before=4");
    expect(second.body.messages.map((m) => m.id)).toEqual([2, 3]);
    const last = await page(room, "?limit=2&before=2");
    expect(last.body.messages.map((m) => m.id)).toEqual([1]);
    expect(last.body.nextBefore).toBeNull();
  });

  it.each(["?limit=0", "?limit=201", "?limit=abc", "?before=0", "?before=-3", "?limit=1.5"])("refuses %s with 400", async (query) => {
    const { status } = await page(roomName(), query);
    expect(status).toBe(400);
  });

  it("accepts the largest page, also full: more ids than the platform binds parameters", async () => {
    const room = await roomWith(120);
    const { status, body } = await page(room, "?limit=200");
    expect(status).toBe(200);
    expect(body.messages).toHaveLength(120);
  });
});
