import { describe, expect, it } from "vitest";
import { checkDisplayName, isRoomName } from "../../src/wire/names";

describe("display names", () => {
  it.each(["alice", "  Zoë  ", "李小龙", "a", "x".repeat(32), "robot", "bot builder"])("accepts %j", (name) => {
    expect(checkDisplayName(name)).toEqual({ ok: true, name: name.trim() });
  });

  it.each([
    ["empty", "", "length"],
    ["whitespace only", "   ", "length"],
    ["too long", "x".repeat(33), "length"],
    ["a control character", "a\u0007b", "characters"],
    ["a bidi override", "abc\u202Edef", "bidi"],
    ["a bidi isolate", "\u2066abc", "bidi"],
    ["zero-width characters only", "\u200B\u200D\uFEFF", "invisible"],
    ["a combining mark only", "\u0301", "invisible"],
    ["the bot marker emoji", "🤖 ci", "bot"],
    ["a [bot] suffix", "deploy [bot]", "bot"],
    ["a (BOT) suffix", "deploy (BOT)", "bot"],
    ["a lone surrogate", "a\uD800", "characters"],
  ])("refuses %s, saying which problem (for the page to word it)", (_what, name, problem) => {
    expect(checkDisplayName(name)).toMatchObject({ ok: false, problem });
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
