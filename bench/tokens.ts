/**
 * @module
 * What app tokens cost at the door (issue #18): the storm (1000 sockets at once into one room)
 * with an ES256 token each, verified against a JWKS served from this process on loopback, vs the
 * same storm with anonymous keys, alternately against one `wrangler dev` in the same run, after a
 * first storm of each. Reports the connect p99 ratio (goal: at most 1.2x) and how often the worker
 * fetched the key set.
 */
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { alternate, mediansByTarget } from "./compare.ts";
import { memberUrl } from "./member.ts";
import type { Scenario } from "./scenario.ts";
import { connectStorm, type StormRun, stormFailures } from "./scenarios.ts";
import { projectVariant, stopTargets, type Target } from "./targets.ts";
import { freshRoom } from "./traffic.ts";

const KID = "bench-es256";

interface KeySetServer {
  port: number;
  fetches: number;
  close(): Promise<void>;
}

async function keySetServer(publicJwk: object): Promise<KeySetServer> {
  const body = JSON.stringify({ keys: [{ ...publicJwk, kid: KID, alg: "ES256", use: "sig" }] });
  const state = { fetches: 0 };
  const server: Server = createServer((request, response) => {
    if (request.url !== "/jwks") return void response.writeHead(404).end();
    state.fetches++;
    response.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=3600" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    get fetches() {
      return state.fetches;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Waits (at most 30 s) until the room has nobody left, so one storm's thousand departures do not
 * share the server with the next storm's arrivals.
 */
async function settled(target: Target, room: string): Promise<void> {
  const url = `${target.wsUrl.replace(/^ws/, "http")}/api/rooms/${room}`;
  for (const deadline = performance.now() + 30_000; performance.now() < deadline; ) {
    const online = await fetch(url)
      .then((response) => response.json() as Promise<{ online?: number }>)
      .then((info) => info.online)
      .catch(() => undefined);
    if (online === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const tokens: Scenario = {
  name: "tokens",
  summary: "1000 members connect at once with ES256 tokens (local JWKS) vs anonymous keys, same server, same run",
  async run(c) {
    const count = c.smoke ? 10 : 1000;
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwks = await keySetServer(await exportJWK(publicKey));
    let target: Target | undefined;
    try {
      target = await projectVariant("tokens", { AUTH_JWKS_URL: `http://127.0.0.1:${jwks.port}/jwks` });
      const server = target;
      // Signed before the clock starts: the app's backend signs, not the room.
      const sign = (i: number) =>
        new SignJWT({ name: `t${i}` })
          .setProtectedHeader({ alg: "ES256", kid: KID })
          .setSubject(`user-${i}`)
          .setIssuedAt()
          .setExpirationTime("1h")
          .sign(privateKey);
      const flavours = [
        { ...server, name: "tokens" },
        { ...server, name: "anonymous" },
      ];
      const storm = async (flavour: Target, label: string) => {
        const room = freshRoom(`storm-${flavour.name}`);
        const signed = flavour.name === "tokens" ? await Promise.all(Array.from({ length: count }, (_, i) => sign(i))) : [];
        const run = await connectStorm(server, (i) => memberUrl(server, room, `s${i}`) + (signed[i] ? `&token=${signed[i]}` : ""), count);
        await settled(server, room);
        c.progress(`tokens ${flavour.name} ${label}: ${run.connected}/${count} connected, p99 ${run.connectP99} ms, JWKS fetches so far ${jwks.fetches}`);
        return { ...run, jwksFetches: jwks.fetches };
      };
      // The first storm on a fresh server pays its cold start (code compiled, the room object made),
      // once. Anonymous goes first, so the tokens' first storm carries only what tokens need the
      // first time (the key set's fetch, jose's first run); both are reported, outside the ratio,
      // which compares warm storms, as a server that has been up a while sees them.
      const first: Record<string, StormRun[]> = {};
      for (const flavour of [flavours[1]!, flavours[0]!]) first[flavour.name] = [await storm(flavour, "first")];
      // At least three rounds, so the median is a round's and not the mean of two.
      const rounds = await alternate(flavours, c.smoke ? c.rounds : Math.max(3, c.rounds), (flavour, n) => storm(flavour, `#${n + 1}`));
      const failures = stormFailures("tokens", rounds);
      if (jwks.fetches > 1) failures.push(`tokens: the worker fetched the JWKS ${jwks.fetches} times (at most once expected)`);
      const columns = ["tokens", "anonymous"];
      return [
        { title: "tokens storm", byTarget: mediansByTarget(rounds), rounds, failures, columns },
        {
          title: "tokens storm, first on a fresh server (anonymous first; not in the ratio)",
          byTarget: mediansByTarget(first),
          rounds: first,
          failures: stormFailures("tokens first", first),
          columns,
        },
      ];
    } finally {
      if (target) await stopTargets([target]);
      await jwks.close();
    }
  },
};
