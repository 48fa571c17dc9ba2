/**
 * The client library's search (packages/client, `room.search`) in Node against a real `wrangler
 * dev`: over the open socket, never a second request; newest first with the matched spans; pages
 * that never repeat; the room's refusal as a `RoomError`; `offline` before the socket is open, and
 * the reason the room closed after `close()`.
 */
import { describe, expect, it } from "vitest";
import { RoomError } from "../../packages/client/src/index";
import { client, freshRoom, useClientServer } from "./client-support";

const fixture = useClientServer();

/** A handle whose every HTTP request fails: whatever it finds came over the socket. */
function socketOnly(room: string, name: string) {
  return client(fixture.server.url, room, name, {
    fetch: () => Promise.reject(new Error("the library made an HTTP request")),
  });
}

describe("room.search", () => {
  it("finds over the socket, newest first, with the matched spans of each text", async () => {
    const ana = socketOnly(freshRoom("lib-search"), "ana");
    await ana.send("the deploy failed again");
    await ana.send("lunch at noon");
    const last = await ana.send("Deploying the fix now");
    const found = await ana.search("deploy");
    expect(found.messages.map((m) => m.text)).toEqual(["Deploying the fix now", "the deploy failed again"]);
    expect(found.messages[0]).toMatchObject({ id: last.id, from: { name: "ana" }, highlight: [[0, 9]] });
    expect(found.messages[1]!.highlight).toEqual([[4, 10]]);
    expect(found.nextBefore).toBeNull();
    ana.close();
  });

  it("pages with nextBefore, never repeating a message", async () => {
    const ana = socketOnly(freshRoom("lib-search-pages"), "ana");
    for (let i = 1; i <= 5; i++) await ana.send(`note ${i}`);
    const first = await ana.search("note", { limit: 2 });
    const second = await ana.search("note", { limit: 2, before: first.nextBefore! });
    const third = await ana.search("note", { limit: 2, before: second.nextBefore! });
    expect([first, second, third].flatMap((page) => page.messages.map((m) => m.text))).toEqual(["note 5", "note 4", "note 3", "note 2", "note 1"]);
    expect(third.nextBefore).toBeNull();
    ana.close();
  });

  it("rejects with the room's code for a search it refuses, and the next one still answers", async () => {
    const ana = socketOnly(freshRoom("lib-search-bad"), "ana");
    await ana.send("something to find");
    await expect(ana.search("something", { limit: 500 })).rejects.toMatchObject({ name: "RoomError", code: "invalid_query" });
    expect((await ana.search("something")).messages).toHaveLength(1);
    ana.close();
  });

  it("rejects with offline before the socket is open", async () => {
    const ana = socketOnly(freshRoom("lib-search-early"), "ana");
    const refused = await ana.search("anything").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RoomError);
    expect(refused).toMatchObject({ code: "offline" });
    ana.close();
  });

  it("rejects with the reason once the room is closed", async () => {
    const ana = socketOnly(freshRoom("lib-search-closed"), "ana");
    await ana.ready;
    ana.close();
    await expect(ana.search("anything")).rejects.toMatchObject({ name: "RoomError", code: "closed" });
  });
});
