/**
 * Helpers for rooms spread over many objects (this project runs with SHARD_MEMBERS = 5,
 * ROSTER_LIMIT = 20: see vitest.config.ts).
 */
import { env, runInDurableObject } from "cloudflare:test";
import { shardName } from "../../src/sockets/handoff";
import { type Client, join } from "../helpers";

export const SHARD_MEMBERS = 5;

/** Joins `count` members one after another (each placement sees the one before), batch readers by default. */
export async function crowd(room: string, count: number, prefix = "m", batch = true): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) clients.push(await join(room, `${prefix}${i}`, undefined, { batch }));
  return clients;
}

/** Sockets held by the room's own object and by each of its fan-out objects 1..`shards`. */
export async function socketsPerObject(room: string, shards: number): Promise<number[]> {
  const own = await runInDurableObject(env.ROOMS.getByName(room), (_instance, state) => state.getWebSockets().length);
  const spread = await Promise.all(
    Array.from({ length: shards }, (_, i) =>
      runInDurableObject(env.SHARDS.getByName(shardName(room, i + 1)), (_instance, state) => state.getWebSockets().length),
    ),
  );
  return [own, ...spread];
}

export function info(room: string) {
  return env.ROOMS.getByName(room).info();
}
