/**
 * The query language over the HTTP route: every form, English and Chinese, highlights, paging.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { roomName } from "../helpers";
import { arrive, post } from "../moderation-helpers";
import { found, marked, push, pushAll, search } from "./helpers";

describe("words", () => {
  it("finds messages holding every word, newest first", async () => {
    const room = roomName("search");
    await pushAll(room, ["the build is green", "the build is red", "deploy is green"]);
    expect(await found(room, "green build")).toEqual(["the build is green"]);
    expect(await found(room, "green")).toEqual(["deploy is green", "the build is green"]);
  });

  it("matches regardless of case, accents, full-width forms and simple inflection", async () => {
    const room = roomName("search");
    await pushAll(room, ["Running the Tests now", "café opens", "ＨＥＬＬＯ there"]);
    expect(await found(room, "run test")).toEqual(["Running the Tests now"]);
    expect(await found(room, "RUNS")).toEqual(["Running the Tests now"]);
    expect(await found(room, "cafe")).toEqual(["café opens"]);
    expect(await found(room, "hello")).toEqual(["ＨＥＬＬＯ there"]);
  });

  it('keeps a "quoted phrase" in its order', async () => {
    const room = roomName("search");
    await pushAll(room, ["quick brown fox", "brown quick fox"]);
    expect(await found(room, '"quick brown"')).toEqual(["quick brown fox"]);
    expect(await found(room, "quick brown")).toEqual(["brown quick fox", "quick brown fox"]);
  });

  it("highlights every matched word as [start, end) offsets into the text", async () => {
    const room = roomName("search");
    await push(room, "Deploying 🚀 now: deploy went fine");
    const [hit] = (await search(room, "deploy")).messages;
    expect(hit!.highlight).toEqual([
      [0, 9],
      [18, 24],
    ]);
    expect(marked(hit!)).toEqual(["Deploying", "deploy"]);
  });
});

describe("Chinese and other scripts without spaces", () => {
  const TEXTS = ["我们明天在你好咖啡见面", "你们好", "今天天气很好"];

  it.each([
    ["好", ["今天天气很好", "你们好", "我们明天在你好咖啡见面"]],
    ["你好", ["我们明天在你好咖啡见面"]],
    ["咖啡见", ["我们明天在你好咖啡见面"]],
    ["天天", ["今天天气很好"]],
  ])("finds %s as a substring", async (q, expected) => {
    const room = roomName("search");
    await pushAll(room, TEXTS);
    expect(await found(room, q)).toEqual(expected);
  });

  it("never matches across two runs a space or punctuation separates", async () => {
    const room = roomName("search");
    await pushAll(room, ["你 好", "你，好"]);
    expect(await found(room, "你好")).toEqual([]);
  });

  it("highlights the substring inside the run", async () => {
    const room = roomName("search");
    await push(room, "明天在你好咖啡见");
    const [hit] = (await search(room, "你好")).messages;
    expect(marked(hit!)).toEqual(["你好"]);
  });

  it("matches mixed scripts: each part where it stands", async () => {
    const room = roomName("search");
    await pushAll(room, ["用React写前端很快", "用Vue写", "React hooks"]);
    expect(await found(room, "react 前端")).toEqual(["用React写前端很快"]);
    const [hit] = (await search(room, "React写")).messages;
    expect(marked(hit!)).toEqual(["React写"]);
  });

  it("finds Japanese kana the same way", async () => {
    const room = roomName("search");
    await push(room, "きょうはいいてんき");
    expect(await found(room, "いい")).toEqual(["きょうはいいてんき"]);
  });
});

describe("filters", () => {
  it("from: takes a display name (any case) or a uid", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "Alice");
    const bob = await arrive(room, "bob");
    await post(alice.client, "lunch at noon");
    await post(bob.client, "lunch at one");
    expect(await found(room, "lunch from:alice")).toEqual(["lunch at noon"]);
    expect(await found(room, `from:${bob.uid}`)).toEqual(["lunch at one"]);
    expect(await found(room, 'from:"Alice" from:bob')).toEqual(["lunch at one", "lunch at noon"]);
  });

  it("has:link finds messages with an http(s) link", async () => {
    const room = roomName("search");
    await pushAll(room, ["see https://example.com/a", "no link here", "the word link"]);
    expect(await found(room, "has:link")).toEqual(["see https://example.com/a"]);
  });

  it("before: and after: take UTC days, after: from the next day on", async () => {
    const room = roomName("search");
    const [old, mid] = await pushAll(room, ["report one", "report two", "report three"]);
    await runInDurableObject(env.ROOMS.getByName(room), (_room, state) => {
      state.storage.sql.exec("UPDATE messages SET ts = ? WHERE id = ?", Date.UTC(2025, 0, 10, 12), old!.id);
      state.storage.sql.exec("UPDATE messages SET ts = ? WHERE id = ?", Date.UTC(2025, 0, 20, 23, 59), mid!.id);
    });
    expect(await found(room, "report before:2025-01-11")).toEqual(["report one"]);
    expect(await found(room, "report after:2025-01-10 before:2025-01-21")).toEqual(["report two"]);
    expect(await found(room, "report after:2025-01-20")).toEqual(["report three"]);
  });

  it("a filter alone lists what it selects, with no highlight", async () => {
    const room = roomName("search");
    const alice = await arrive(room, "alice");
    await post(alice.client, "hello");
    const result = await search(room, "from:alice");
    expect(result.messages.map((m) => [m.text, m.highlight])).toEqual([["hello", []]]);
  });

  it("an unknown operator is a word", async () => {
    const room = roomName("search");
    await pushAll(room, ["ticket:42 closed", "ticket 7"]);
    expect(await found(room, "ticket:42")).toEqual(["ticket:42 closed"]);
  });
});

describe("paging", () => {
  it("walks every match once, newest first, with nextBefore null at the end", async () => {
    const room = roomName("search");
    await pushAll(
      room,
      Array.from({ length: 25 }, (_, i) => `note ${i}`),
    );
    await push(room, "something else");
    const seen: string[] = [];
    let page = await search(room, "note", { limit: 10 });
    seen.push(...page.messages.map((m) => m.text));
    while (page.nextBefore !== null) {
      page = await search(room, "note", { limit: 10, before: page.nextBefore });
      expect(page.status).toBe(200);
      seen.push(...page.messages.map((m) => m.text));
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `note ${24 - i}`));
  });

  it("defaults to 20 results and refuses a limit over 50", async () => {
    const room = roomName("search");
    await pushAll(
      room,
      Array.from({ length: 21 }, (_, i) => `item ${i}`),
    );
    expect((await search(room, "item")).messages).toHaveLength(20);
    expect((await search(room, "item", { limit: 51 })).error?.code).toBe("invalid_query");
    expect((await search(room, "item", { before: 0 })).error?.code).toBe("invalid_query");
  });
});
