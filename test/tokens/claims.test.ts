/**
 * Each claim rule of an app's token: over real sockets where a person sees the outcome, and
 * against the verifier at an exact clock where the rule is a boundary in seconds.
 */
import { describe, expect, it } from "vitest";
import { verifyToken } from "../../src/tokens/verify";
import { CLOSE } from "../../src/wire/protocol";
import { roomName } from "../helpers";
import { roomState } from "../moderation-helpers";
import { AUDIENCE, enter, ISSUER, mint, refusal, settings } from "./helpers";

const T = 1_900_000_000;
const at = (seconds: number) => seconds * 1000;

/** The verifier's verdict on a token with `overrides`, checked at `now` seconds in `room`. */
async function verdict(overrides: Record<string, unknown>, now = T, room = "lobby") {
  const token = await mint({ iat: T, exp: T + 600, ...overrides });
  const result = await verifyToken(token, settings(), room, at(now));
  return result.ok ? "ok" : result.code;
}

describe("sub", () => {
  it("becomes the uid app:<sub>, the same in every room", async () => {
    const token = await mint({ sub: "user-42" });
    const [one, two] = await Promise.all([enter(roomName(), token), enter(roomName(), token)]);
    expect((await one.welcome()).you.uid).toBe("app:user-42");
    expect((await two.welcome()).you.uid).toBe("app:user-42");
  });

  it("takes 1 to 128 printable characters", async () => {
    expect(await verdict({ sub: "x" })).toBe("ok");
    expect(await verdict({ sub: "a".repeat(128) })).toBe("ok");
    expect(await verdict({ sub: "auth0|5f3c:~!" })).toBe("ok");
  });

  it("is refused when missing, empty, longer than 128, or with spaces or control characters", async () => {
    for (const sub of [undefined, "", "a".repeat(129), "two words", "tab\there", "nul\u0000", 42]) {
      expect(await verdict({ sub }), JSON.stringify(sub)).toBe("invalid_token");
    }
  });

  it("is refused at the door with invalid_token and 4401", async () => {
    expect(await refusal(roomName(), await mint({ sub: "" }))).toMatchObject({ code: "invalid_token", close: CLOSE.unauthorized, reason: "invalid_token" });
  });
});

describe("name", () => {
  it("wins over the name parameter", async () => {
    const client = await enter(roomName(), await mint({ name: "Alice" }), "name=Mallory");
    expect((await client.welcome()).you.name).toBe("Alice");
  });

  it("leaves the name parameter in force when the token has none", async () => {
    const client = await enter(roomName(), await mint(), "name=Bob");
    expect((await client.welcome()).you.name).toBe("Bob");
  });

  it("follows the display-name rules (trimmed, no bidi overrides, not posing as a bot)", async () => {
    expect(await verdict({ name: "  Alice  " })).toBe("ok");
    for (const name of ["", "x".repeat(33), "evil\u202Eeman", "helper [bot]", 7]) {
      expect(await verdict({ name }), JSON.stringify(name)).toBe("invalid_token");
    }
  });
});

describe("exp", () => {
  it("is required", async () => {
    expect(await verdict({ exp: undefined })).toBe("invalid_token");
    expect(await verdict({ exp: "soon" })).toBe("invalid_token");
  });

  it("is good until its second, and expired from it on, without skew", async () => {
    expect(await verdict({ exp: T + 1 })).toBe("ok");
    expect(await verdict({ exp: T })).toBe("token_expired");
    expect(await verdict({ exp: T - 30 })).toBe("token_expired");
  });

  it("an expired token is refused at the door with token_expired and 4401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const refused = await refusal(roomName(), await mint({ iat: now - 120, exp: now - 60 }));
    expect(refused).toMatchObject({ code: "token_expired", close: CLOSE.unauthorized, reason: "token_expired" });
  });
});

describe("nbf and iat with 60 s of clock skew", () => {
  it("nbf up to 60 s ahead is accepted, 61 s is not", async () => {
    expect(await verdict({ nbf: T + 60 })).toBe("ok");
    expect(await verdict({ nbf: T + 61 })).toBe("invalid_token");
  });

  it("iat up to 60 s ahead is accepted, 61 s is not", async () => {
    expect(await verdict({ iat: T + 60, exp: T + 600 })).toBe("ok");
    expect(await verdict({ iat: T + 61, exp: T + 600 })).toBe("invalid_token");
  });

  it("a non-numeric nbf or iat is malformed", async () => {
    expect(await verdict({ nbf: "now" })).toBe("invalid_token");
    expect(await verdict({ iat: "now" })).toBe("invalid_token");
  });
});

describe("AUTH_MAX_TTL_SECONDS (an hour in these tests)", () => {
  it("accepts exp - iat of exactly the limit and refuses one second more", async () => {
    expect(await verdict({ iat: T, exp: T + 3600 })).toBe("ok");
    expect(await verdict({ iat: T, exp: T + 3601 })).toBe("invalid_token");
  });

  it("counts from now when the token has no iat", async () => {
    expect(await verdict({ iat: undefined, exp: T + 3600 })).toBe("ok");
    expect(await verdict({ iat: undefined, exp: T + 3601 })).toBe("invalid_token");
  });

  it("is refused with a message naming the rule", async () => {
    const result = await verifyToken(await mint({ iat: T, exp: T + 7200 }), settings(), "lobby", at(T));
    expect(result).toMatchObject({ ok: false, code: "invalid_token", message: expect.stringContaining("exp - iat") });
  });
});

describe("rooms", () => {
  it("absent: any room", async () => {
    expect(await verdict({}, T, "anything")).toBe("ok");
  });

  it("names rooms exactly: the same room in another case is another room", async () => {
    expect(await verdict({ rooms: ["team-7", "lobby"] }, T, "lobby")).toBe("ok");
    expect(await verdict({ rooms: ["team-7"] }, T, "Team-7")).toBe("forbidden_room");
    expect(await verdict({ rooms: ["team-7"] }, T, "team-70")).toBe("forbidden_room");
  });

  it("takes prefixes ending in *, and * alone for every room", async () => {
    expect(await verdict({ rooms: ["team-*"] }, T, "team-7")).toBe("ok");
    expect(await verdict({ rooms: ["team-*"] }, T, "teams")).toBe("forbidden_room");
    expect(await verdict({ rooms: ["*"] }, T, "anything")).toBe("ok");
  });

  it("an empty list allows no room", async () => {
    expect(await verdict({ rooms: [] }, T, "lobby")).toBe("forbidden_room");
  });

  it("a malformed list is an invalid token", async () => {
    for (const rooms of ["team-*", [7], [""], {}]) expect(await verdict({ rooms }), JSON.stringify(rooms)).toBe("invalid_token");
  });

  it("a room the token does not list is refused at the door with forbidden_room and 4403", async () => {
    const refused = await refusal(roomName("other"), await mint({ rooms: ["team-*"] }));
    expect(refused).toMatchObject({ code: "forbidden_room", close: CLOSE.forbiddenRoom, reason: "forbidden_room" });
  });

  it("a listed prefix lets the socket in", async () => {
    const client = await enter(roomName("team"), await mint({ rooms: ["team-*"] }));
    expect((await client.welcome()).you.uid).toBe("app:42");
  });
});

describe("roles", () => {
  it("a granted moderator shows in the room's state", async () => {
    const room = roomName("team");
    const client = await enter(room, await mint({ sub: "mod-1", roles: { "team-*": "moderator" } }));
    expect(roomState(client).moderators).toContain("app:mod-1");
  });

  it("a granted owner is the room's owner when it has none", async () => {
    const room = roomName("team");
    const client = await enter(room, await mint({ sub: "boss", roles: { [room]: "owner" } }));
    expect(roomState(client).owner).toBe("app:boss");
  });

  it("an exact room name wins over a prefix, a longer prefix over a shorter one", async () => {
    const room = roomName("team");
    const roles = { "*": "owner", "team-*": "moderator", [room]: "owner" };
    const exact = await verifyToken(await mint({ roles }), settings(), room);
    const prefixed = await verifyToken(await mint({ roles: { "*": "owner", "team-*": "moderator" } }), settings(), room);
    expect(exact).toMatchObject({ ok: true, value: { role: "owner" } });
    expect(prefixed).toMatchObject({ ok: true, value: { role: "moderator" } });
  });

  it("a role for other rooms grants nothing here", async () => {
    const result = await verifyToken(await mint({ roles: { "team-*": "moderator" } }), settings(), "lobby");
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.value.role).toBeUndefined();
  });

  it("anything but owner or moderator, or a list, is an invalid token", async () => {
    for (const roles of [{ lobby: "admin" }, ["moderator"], "moderator"]) expect(await verdict({ roles }), JSON.stringify(roles)).toBe("invalid_token");
  });
});

describe("issuer and audience (AUTH_ISSUER, AUTH_AUDIENCE)", () => {
  it("are checked when set", async () => {
    expect(await verdict({ iss: ISSUER, aud: AUDIENCE })).toBe("ok");
    expect(await verdict({ aud: [AUDIENCE, "other"] })).toBe("ok");
    expect(await verdict({ iss: "https://evil.test" })).toBe("invalid_token");
    expect(await verdict({ iss: undefined })).toBe("invalid_token");
    expect(await verdict({ aud: "other" })).toBe("invalid_token");
    expect(await verdict({ aud: undefined })).toBe("invalid_token");
  });

  it("are not required when unset", async () => {
    const loose = settings({ issuer: undefined, audience: undefined });
    delete loose.issuer;
    delete loose.audience;
    const token = await mint({ iss: undefined, aud: undefined });
    expect(await verifyToken(token, loose, "lobby")).toMatchObject({ ok: true });
  });
});
