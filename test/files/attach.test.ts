import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { History } from "../../src/messages/history";
import type { FileRef, MessageFrame } from "../../src/wire/protocol";
import { answer, join, request, roomName } from "../helpers";
import { act, arrive, change, refusal, staffedRoom } from "../moderation-helpers";
import { PDF, PNG } from "./fixtures";
import { ageUpload, fetchFile, inBucket, uploaded } from "./helpers";

const HOUR = 3_600_000;

function stub(room: string) {
  return env.ROOMS.getByName(room);
}

/** Posts a message carrying `files`; returns the sender's own copy. */
async function postWith(client: Parameters<typeof answer>[0], files: FileRef[], text = "") {
  const reply = await answer(client, { type: "message", text, files: files.map((f) => f.id) });
  expect(reply.type, JSON.stringify(reply)).toBe("message");
  return reply as Extract<typeof reply, { type: "message" }>;
}

/** Waits until the room has emptied its trash into R2 (deletes go there after the flush). */
async function gone(room: string, id: string): Promise<void> {
  for (let i = 0; i < 50 && (await inBucket(room, id)); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await inBucket(room, id)).toBe(false);
}

describe("messages with files", () => {
  it("carries its files to everyone, an empty text allowed, in the order given", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const bob = await join(room, "bob");
    const image = await uploaded(room, alice.key, PNG, "red.png");
    const pdf = await uploaded(room, alice.key, PDF, "notes.pdf");
    const own = await postWith(alice.client, [pdf, image]);
    expect(own.text).toBe("");
    expect(own.files).toEqual([pdf, image]);
    const seen = await bob.next("message");
    expect(seen.files).toEqual([pdf, image]);
    expect(seen.files![1]).toMatchObject({ type: "image/png", width: 40, height: 30, name: "red.png" });
  });

  it("keeps its files in the history a newcomer gets and in the history API", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const image = await uploaded(room, alice.key, PNG, "red.png");
    const own = await postWith(alice.client, [image], "look");
    const later = await join(room, "carol");
    expect((await later.welcome()).history.at(-1)?.files).toEqual([image]);
    const page = (await (await request(`/api/rooms/${room}/messages`)).json()) as { messages: MessageFrame[] };
    expect(page.messages.find((m) => m.id === own.id)?.files).toEqual([image]);
  });

  it("refuses a file of another room, of another person, or already attached: not_found, nothing stored", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const bob = await arrive(room, "bob");
    const elsewhere = await uploaded(roomName("other"), alice.key, PNG);
    expect((await refusal(alice.client, { type: "message", text: "x", files: [elsewhere.id] })).code).toBe("not_found");
    const bobs = await uploaded(room, bob.key, PNG);
    expect((await refusal(alice.client, { type: "message", text: "x", files: [bobs.id] })).code).toBe("not_found");
    const mine = await uploaded(room, alice.key, PNG);
    await postWith(alice.client, [mine]);
    expect((await refusal(alice.client, { type: "message", text: "again", files: [mine.id] })).code).toBe("not_found");
    expect((await stub(room).page(Number.MAX_SAFE_INTEGER, 10)).map((m) => m.text)).toEqual([""]);
  });

  it("refuses malformed file lists: invalid_frame", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const file = await uploaded(room, alice.key, PNG);
    for (const files of [[], "f_x", [file.id, file.id], Array.from({ length: 11 }, () => file.id), ["../x"]]) {
      expect((await refusal(alice.client, { type: "message", text: "x", files })).code).toBe("invalid_frame");
    }
    expect((await refusal(alice.client, { type: "message", text: "" })).code).toBe("empty_text");
  });

  it("acknowledges a retry of a message with files once, without refusing its files as used", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const file = await uploaded(room, alice.key, PNG);
    alice.client.send({ type: "message", text: "one", files: [file.id], nonce: "n-1" });
    const first = await alice.client.until(() => alice.client.ofType("message").find((m) => m.nonce === "n-1"));
    alice.client.send({ type: "message", text: "one", files: [file.id], nonce: "n-1" });
    const second = await alice.client.until(() => alice.client.ofType("message").filter((m) => m.nonce === "n-1")[1]);
    expect(second.id).toBe(first.id);
    expect(second.files).toEqual([file]);
    expect(alice.client.ofType("error")).toHaveLength(0);
  });

  it("attaches an upload made before the room was evicted", async () => {
    const room = roomName("attach");
    const key = (await arrive(room, "alice")).key;
    const file = await uploaded(room, key, PNG);
    await evictDurableObject(stub(room));
    const alice = await arrive(room, "alice", key);
    expect((await postWith(alice.client, [file])).files).toEqual([file]);
  });
});

describe("files leave with their message", () => {
  it("a delete by the author makes the URL answer 404 at once, and empties the bucket", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const file = await uploaded(room, alice.key, PNG);
    const message = await postWith(alice.client, [file]);
    const update = await change(alice.client, { type: "delete", id: message.id });
    expect(update.message.files).toBeUndefined();
    expect((await fetchFile(file.url)).status).toBe(404);
    await gone(room, file.id);
  });

  it("a moderator's delete removes them too", async () => {
    const { room, moderator, member } = await staffedRoom();
    const file = await uploaded(room, member.key, PDF, "a.pdf");
    const message = await postWith(member.client, [file]);
    await change(moderator.client, { type: "delete", id: message.id });
    expect((await fetchFile(file.url)).status).toBe(404);
    await gone(room, file.id);
  });

  it("age retention removes a message's files with it", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const file = await uploaded(room, alice.key, PNG);
    await postWith(alice.client, [file]);
    await runInDurableObject(stub(room), (_r, state) => {
      state.storage.sql.exec("UPDATE messages SET ts = ts - ?", 91 * 24 * HOUR);
    });
    await runDurableObjectAlarm(stub(room));
    expect((await fetchFile(file.url)).status).toBe(404);
    expect(await inBucket(room, file.id)).toBe(false);
  });

  it("count retention (MAX_HISTORY) removes the files of the message it drops", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const file = await uploaded(room, alice.key, PNG);
    const message = await postWith(alice.client, [file]);
    // Keeping one message, as MAX_HISTORY=1 would: the next message pushes this one out.
    await runInDurableObject(stub(room), (instance) => {
      const { history } = instance as unknown as { history: History };
      history.append({ from: message.from, text: "newer", ts: Date.now() }, 1);
    });
    expect((await fetchFile(file.url)).status).toBe(404);
    await runDurableObjectAlarm(stub(room));
    expect(await inBucket(room, file.id)).toBe(false);
  });

  it("an upload never attached is removed by the room's alarm after an hour, not before", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const young = await uploaded(room, alice.key, PNG);
    const old = await uploaded(room, alice.key, PNG);
    await ageUpload(room, old.id, HOUR + 1000);
    await runDurableObjectAlarm(stub(room));
    expect((await fetchFile(old.url)).status).toBe(404);
    expect(await inBucket(room, old.id)).toBe(false);
    expect((await fetchFile(young.url)).status).toBe(200);
    expect((await refusal(alice.client, { type: "message", text: "late", files: [old.id] })).code).toBe("not_found");
  });

  it("an upload to a room nobody is in sets the alarm for its hour", async () => {
    const room = roomName("attach");
    await uploaded(room, (await arrive(room, "alice")).key, PNG);
    const alarm = await runInDurableObject(stub(room), (_r, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
  });

  it("a room deleted after standing empty takes every file with it", async () => {
    const room = roomName("attach");
    const alice = await arrive(room, "alice");
    const attached = await uploaded(room, alice.key, PNG);
    await postWith(alice.client, [attached]);
    const loose = await uploaded(room, alice.key, PDF);
    alice.client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runInDurableObject(stub(room), (_r, state) => {
      state.storage.sql.exec("UPDATE messages SET ts = ts - ?", 8 * 24 * HOUR);
      state.storage.sql.exec("UPDATE meta SET value = value - ? WHERE key = 'emptied_at'", 8 * 24 * HOUR);
      state.storage.sql.exec("UPDATE files SET uploaded_at = uploaded_at - ?", 30 * 60_000);
    });
    await runDurableObjectAlarm(stub(room));
    expect(await inBucket(room, attached.id)).toBe(false);
    expect(await inBucket(room, loose.id)).toBe(false);
    expect((await fetchFile(loose.url)).status).toBe(404);
  });

  it("an operator's ban leaves the person's posted files in place", async () => {
    const { room, owner, member } = await staffedRoom();
    const file = await uploaded(room, member.key, PNG);
    await postWith(member.client, [file]);
    await act(owner.client, { type: "ban", uid: member.uid });
    expect((await fetchFile(file.url)).status).toBe(200);
  });
});
