import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, request, roomName } from "../helpers";

const upgrade = { Upgrade: "websocket" };

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("routing", () => {
  it("answers /healthz", async () => {
    const response = await request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("serves the chat page for a browser GET on a room URL", async () => {
    const response = await request(`/chat/${roomName()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it.each(["bad name", ".hidden", "a".repeat(65), "émoji", "a%2Fb"])("refuses room name %j with 400", async (name) => {
    const response = await request(`/chat/${encodeURIComponent(name)}`, { headers: upgrade });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_room");
  });

  it("treats room names as case-sensitive", async () => {
    const room = roomName("Case");
    const upper = await connect(room, "?name=upper");
    const lower = await connect(room.toLowerCase(), "?name=lower");
    const [a, b] = await Promise.all([upper.welcome(), lower.welcome()]);
    expect(a.members.map((m) => m.name)).toEqual(["upper"]);
    expect(b.members.map((m) => m.name)).toEqual(["lower"]);
  });

  it("answers 405 with Allow: GET to other methods on a room URL", async () => {
    const response = await request(`/chat/${roomName()}`, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect(await errorCode(response)).toBe("method_not_allowed");
  });

  it("answers 426 to a non-websocket upgrade", async () => {
    const response = await request(`/chat/${roomName()}`, { headers: { Upgrade: "h2c" } });
    expect(response.status).toBe(426);
    expect(await errorCode(response)).toBe("upgrade_required");
  });

  it("has the room object itself refuse anything but an upgrade", async () => {
    const response = await env.ROOMS.getByName(roomName()).fetch("http://room/chat/x");
    expect(response.status).toBe(426);
  });

  it("answers unknown API paths with a JSON 404", async () => {
    const response = await request("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_found");
  });

  it("hands unknown pages to the static assets' 404 page", async () => {
    const response = await request("/no-such-page");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it.each([
    ["an empty name", "?name=%20%20", "invalid_name"],
    ["a name over 32 characters", `?name=${"x".repeat(33)}`, "invalid_name"],
    ["a name with control characters", "?name=a%07b", "invalid_name"],
    ["a negative since", "?since=-1", "invalid_since"],
    ["a fractional since", "?since=1.5", "invalid_since"],
    ["a non-numeric since", "?since=abc", "invalid_since"],
  ])("refuses %s with 400 before the upgrade", async (_what, query, code) => {
    const response = await request(`/chat/${roomName()}${query}`, { headers: upgrade });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe(code);
  });

  it("gives a guest name to a client that sends none", async () => {
    const client = await connect(roomName());
    expect((await client.welcome()).you.name).toMatch(/^guest-[0-9a-f]{4}$/);
  });
});
