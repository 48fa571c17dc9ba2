/**
 * A storm of sockets with ES256 tokens from the app's JWKS endpoint (AUTH_JWKS_URL of the tokens
 * project), all at once into a cold isolate: every one gets in, and the endpoint is fetched once.
 * This file is the only one using that endpoint, so its count is this file's.
 */
import { describe, expect, it } from "vitest";
import type { Client } from "../helpers";
import { roomName } from "../helpers";
import { connectWith, refresh } from "./helpers";
import { type AppKey, appKey, fetches, publish, sign } from "./jwks-helpers";

const ENDPOINT = "app";
const SOCKETS = 1000;
const ROOMS = 10;

async function welcomed(client: Client): Promise<Client> {
  await client.until(() => client.ofType("welcome")[0] ?? client.closed, 30_000, "the welcome");
  return client;
}

describe("a storm of token sockets", () => {
  let key: AppKey;
  let clients: Client[];
  let before: number;

  it(`${SOCKETS} sockets at once with ES256 tokens all get in, with at most one JWKS fetch`, { timeout: 120_000 }, async () => {
    key = await appKey("ES256");
    await publish(ENDPOINT, [key]);
    before = await fetches(ENDPOINT);
    const rooms = Array.from({ length: ROOMS }, () => roomName("storm"));
    const tokens = await Promise.all(Array.from({ length: SOCKETS }, (_, i) => sign(key, { sub: `user-${i}` })));
    clients = await Promise.all(tokens.map(async (token, i) => welcomed(await connectWith(rooms[i % ROOMS]!, token))));
    const uids = clients.map((client) => client.ofType("welcome")[0]?.you.uid);
    expect(uids.filter((uid) => uid === undefined)).toEqual([]);
    expect(new Set(uids).size).toBe(SOCKETS);
    expect((await fetches(ENDPOINT)) - before).toBe(1);
  });

  it("a refresh in the room after the storm uses the cached keys too", async () => {
    const [client] = clients;
    expect(await refresh(client!, await sign(key, { sub: "user-0" }))).toMatchObject({ type: "auth" });
    expect((await fetches(ENDPOINT)) - before).toBe(1);
    for (const each of clients) each.close();
  });
});
