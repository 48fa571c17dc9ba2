import { describe, expect, it } from "vitest";
import { checkDisplayName, isRoomName } from "../src/names";

describe("display names", () => {
  it.each(["alice", "  Zoë  ", "李小龙", "a", "x".repeat(32), "robot", "bot builder"])("accepts %j", (name) => {
    expect(checkDisplayName(name)).toEqual({ ok: true, name: name.trim() });
  });

  it.each([
    ["empty", ""],
    ["whitespace only", "   "],
    ["too long", "x".repeat(33)],
    ["a control character", "a\u0007b"],
    ["a bidi override", "abc\u202Edef"],
    ["a bidi isolate", "\u2066abc"],
    ["zero-width characters only", "\u200B\u200D\uFEFF"],
    ["a combining mark only", "\u0301"],
    ["the bot marker emoji", "🤖 ci"],
    ["a [bot] suffix", "deploy [bot]"],
    ["a (BOT) suffix", "deploy (BOT)"],
    ["a lone surrogate", "a\uD800"],
  ])("refuses %s", (_what, name) => {
    expect(checkDisplayName(name).ok).toBe(false);
  });
});

describe("room names", () => {
  it.each(["lobby", "Lobby", "a", "x".repeat(64), "team-1_v2.0", "_private"])("accepts %j", (name) => {
    expect(isRoomName(name)).toBe(true);
  });

  it.each(["", ".hidden", "x".repeat(65), "a b", "a/b", "é", "a%20"])("refuses %j", (name) => {
    expect(isRoomName(name)).toBe(false);
  });
});
