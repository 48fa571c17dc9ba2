/**
 * The postMessage contract's parsers (src/wire/embed-messages.ts): a listed origin may still post
 * anything, so each side keeps only known types and well-formed fields.
 */
import { describe, expect, it } from "vitest";
import { parseFrameMessage, parseHostMessage } from "../../src/wire/embed-messages";

describe("a host's config", () => {
  it("keeps the known theme fields and drops an unknown mode, other keys and values that are not text", () => {
    const config = parseHostMessage({
      edgeChat: { type: "config", theme: { mode: "neon", accent: "#c00", radius: 4, font: "", extra: "x", text: "x".repeat(201) }, language: "zh-CN" },
    });
    expect(config).toEqual({ type: "config", theme: { accent: "#c00" }, language: "zh-CN" });
  });

  it("leaves the CSS check to the frame: a value with more than one declaration still parses as text", () => {
    // theme.ts refuses it against the property it would set; the parser only bounds its length.
    expect(parseHostMessage({ edgeChat: { type: "config", theme: { accent: "red; background: url(x)" } } })).toEqual({
      type: "config",
      theme: { accent: "red; background: url(x)" },
    });
  });

  it("is nothing without the envelope", () => {
    expect(parseHostMessage({ type: "config", theme: { mode: "dark" } })).toBeUndefined();
  });
});

describe("a frame's resize", () => {
  it("needs a whole, non-negative height", () => {
    expect(parseFrameMessage({ edgeChat: { type: "resize", height: 480 } })).toEqual({ type: "resize", height: 480 });
    for (const height of [-1, 480.5, "480", null, Number.POSITIVE_INFINITY]) {
      expect(parseFrameMessage({ edgeChat: { type: "resize", height } })).toBeUndefined();
    }
  });
});
