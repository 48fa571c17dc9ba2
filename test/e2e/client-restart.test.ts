/**
 * The client library across a server that goes away: `wrangler dev` is killed and started again on
 * the same port and state. Sends made meanwhile are queued and stored exactly once; a resume after
 * the restart misses nothing and repeats nothing. While the server is down, Node's WebSocket
 * reports each refused attempt with `error` alone (never `close`), which the library must retry.
 */
import { describe, expect, it } from "vitest";
import type { MessageFrame } from "../../packages/client/src/index";
import { startDevServer } from "../support/dev-server";
import { freshRoom, until, useClientServer } from "./client-support";
import { storedHistory } from "./reliability-support";
import { sleep } from "./reliable-client";

const fixture = useClientServer();
const { join } = fixture;

describe("client library across a server restart", () => {
  it("stores a send made while the server is unreachable once, after it comes back", async () => {
    const room = freshRoom("lib-offline");
    const ana = join(room, "ana");
    await ana.ready;
    await fixture.server.kill();
    await until(ana, () => ana.state.state === "reconnecting", "ana to notice");
    const sent = ana.send("written while down");
    // Someone who starts while the server is down connects once it is up.
    const cho = join(room, "cho");
    const fromCho = cho.send("cho, also while down");
    await sleep(2000);
    fixture.server = await startDevServer({ port: fixture.server.port, persistTo: fixture.server.persistTo });
    const [stored, choStored] = await Promise.all([sent, fromCho]);
    const texts = (await storedHistory(fixture.server.url, room)).map((m) => m.text);
    expect(texts.filter((t) => t === "written while down")).toHaveLength(1);
    expect(texts.filter((t) => t === "cho, also while down")).toHaveLength(1);
    expect(stored.from.name).toBe("ana");
    expect(choStored.from.name).toBe("cho");
  }, 120_000);

  it("resumes after a restart without a gap or a duplicate", async () => {
    const room = freshRoom("lib-resume");
    const ana = join(room, "ana");
    const ben = join(room, "ben");
    await Promise.all([ana.ready, ben.ready]);
    const heard: MessageFrame[] = [];
    ben.on("message", (message) => heard.push(message));
    for (let i = 1; i <= 5; i++) await ana.send(`before ${i}`);
    await until(ben, () => ben.messages.length === 5, "ben to hear the first five");
    await fixture.server.kill();
    const queued = Array.from({ length: 5 }, (_, i) => ana.send(`during ${i + 1}`));
    await sleep(1000);
    fixture.server = await startDevServer({ port: fixture.server.port, persistTo: fixture.server.persistTo });
    await Promise.all(queued);
    for (let i = 1; i <= 5; i++) await ana.send(`after ${i}`);
    await until(ben, () => ben.messages.length === 15, "ben to hear all fifteen");
    const stored = await storedHistory(fixture.server.url, room);
    expect(stored.map((m) => m.text)).toEqual(
      [1, 2, 3, 4, 5]
        .map((i) => `before ${i}`)
        .concat(
          [1, 2, 3, 4, 5].map((i) => `during ${i}`),
          [1, 2, 3, 4, 5].map((i) => `after ${i}`),
        ),
    );
    expect(ben.messages).toEqual(stored);
    expect(heard.map((m) => m.id)).toEqual(stored.map((m) => m.id));
  }, 120_000);
});
