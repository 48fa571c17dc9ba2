/**
 * Sockets with AUTH_REQUIRED=1: only a valid token from the app gets in. Anonymous newcomers (no
 * token, or only a key or the identity cookie) are told `token_required` and closed 4401, in-band,
 * by the worker, before any room object sees them.
 */
import { describe, expect, it } from "vitest";
import { newSecret } from "../../../src/identity/identity";
import { CLOSE } from "../../../src/wire/protocol";
import { connect, roomName } from "../../helpers";
import { connectWith, enter, mint, nowSeconds, refusal, refusedAt } from "../helpers";

const TOKEN_REQUIRED = { code: "token_required", close: CLOSE.unauthorized, reason: "token_required" };

async function anonymousRefusal(query: string, headers: Record<string, string> = {}) {
  const { error, closed } = await refusedAt(await connect(roomName(), query, headers));
  return { code: error.code, close: closed.code, reason: closed.reason };
}

describe("with AUTH_REQUIRED=1, an anonymous socket", () => {
  it("without a token is told token_required, then closed 4401 token_required", async () => {
    expect(await anonymousRefusal("?name=anon")).toEqual(TOKEN_REQUIRED);
  });

  it("with only a key is refused the same way: a key names no app user", async () => {
    expect(await anonymousRefusal(`?name=anon&key=${newSecret()}`)).toEqual(TOKEN_REQUIRED);
  });

  it("with only the identity cookie is refused the same way", async () => {
    expect(await anonymousRefusal("?name=anon", { Cookie: `__Host-chat_id=${newSecret()}` })).toEqual(TOKEN_REQUIRED);
  });

  it("never reaches the room: its members hear no join", async () => {
    const room = roomName();
    const member = await enter(room, await mint({ sub: "member" }));
    await connect(room, "?name=anon").then(refusedAt);
    await member.none("join", 300);
  });
});

describe("with AUTH_REQUIRED=1, a socket with a token", () => {
  it("given as token= is welcomed as app:<sub>", async () => {
    const client = await enter(roomName(), await mint({ sub: "alice" }));
    expect((await client.welcome()).you.uid).toBe("app:alice");
  });

  it("given as a bearer on the upgrade is welcomed as app:<sub>", async () => {
    const client = await connectWith(roomName(), await mint({ sub: "bob" }), { bearer: true });
    expect((await client.welcome()).you.uid).toBe("app:bob");
  });

  it("wins over a key sent beside it", async () => {
    const client = await enter(roomName(), await mint({ sub: "carol" }), `key=${newSecret()}`);
    expect((await client.welcome()).you.uid).toBe("app:carol");
  });

  it("signed with an unknown secret gets invalid_token, then close 4401", async () => {
    const token = await mint({}, "a-secret-the-server-never-heard-of-0123");
    expect(await refusal(roomName(), token)).toMatchObject({ code: "invalid_token", close: CLOSE.unauthorized, reason: "invalid_token" });
  });

  it("that is not a JWT gets invalid_token, then close 4401", async () => {
    expect(await refusal(roomName(), "not-a-jwt")).toMatchObject({ code: "invalid_token", close: CLOSE.unauthorized });
  });

  it("that expired gets token_expired, then close 4401", async () => {
    const token = await mint({ iat: nowSeconds() - 600, exp: nowSeconds() - 1 });
    expect(await refusal(roomName(), token)).toMatchObject({ code: "token_expired", close: CLOSE.unauthorized, reason: "token_expired" });
  });

  it("whose rooms do not include this one gets forbidden_room, then close 4403", async () => {
    const token = await mint({ rooms: ["team-*"] });
    expect(await refusal(roomName("other"), token)).toMatchObject({ code: "forbidden_room", close: CLOSE.forbiddenRoom, reason: "forbidden_room" });
  });

  it("that lists this room by prefix is welcomed", async () => {
    const client = await enter(roomName("team"), await mint({ rooms: ["team-*"] }));
    expect((await client.welcome()).you.uid).toBe("app:42");
  });

  it("is never quoted back: not in the error frame, not in the close reason", async () => {
    const room = roomName();
    for (const token of [await mint({}, "a-secret-the-server-never-heard-of-0123"), await mint({ exp: nowSeconds() - 1, iat: nowSeconds() - 60 })]) {
      const client = await connectWith(room, token);
      await refusedAt(client);
      const signature = token.split(".")[2]!;
      for (const text of [...client.raw, client.closed!.reason]) expect(text).not.toContain(signature);
    }
  });
});
