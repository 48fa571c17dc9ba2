/**
 * Property-based tests of parseClientFrame: whatever a client sends, the parser answers with an
 * accepted frame that obeys the protocol or a known error code, and never throws.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClientFrame } from "../../src/wire/parse";
import { ERROR_CODES } from "../../src/wire/protocol";
import { oddString, rawFrame } from "../reliability-helpers";

const MAX_CHARS = 2000;
const NONCE = /^[\x21-\x7e]{1,64}$/;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
const RUNS = { numRuns: 1000 };

/** Frames that change or reply to a message, with good and bad ids, texts and emoji. */
const actionFrame = fc.record(
  {
    type: fc.constantFrom("edit", "delete", "react", "message"),
    id: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 53), oddString, fc.constant(null)),
    replyTo: fc.oneof(fc.integer(), fc.double(), oddString, fc.constant(null)),
    text: oddString,
    emoji: fc.oneof(fc.constantFrom("👍", "❤", "🇫🇷", "👩‍👩‍👧", "1️⃣", "👍🏽", "👍👍", "a"), oddString, fc.integer()),
    nonce: fc.oneof(fc.stringMatching(NONCE), oddString),
    extra: oddString,
  },
  { requiredKeys: ["type"] },
);
const FIELDS = {
  edit: ["id", "text"],
  delete: ["id"],
  react: ["id", "emoji"],
  message: ["text", "replyTo"],
  auth: ["token"],
  typing: [],
  claim: [],
  promote: ["uid"],
  demote: ["uid"],
  kick: ["uid", "reason"],
  ban: ["uid", "seconds", "reason", "address"],
  unban: ["uid"],
  settings: ["topic", "slowSeconds", "locked"],
  search: ["q", "before", "limit"],
  bans: [],
};
const RGI = /^\p{RGI_Emoji}$/v;
const UID = /^u_[A-Za-z0-9_-]{22}$/;

/** Moderation frames, with good and bad uids, reasons, durations and settings. */
const moderationFrame = fc.record(
  {
    type: fc.constantFrom("claim", "promote", "demote", "kick", "ban", "unban", "settings", "bans"),
    uid: fc.oneof(fc.stringMatching(UID), fc.constantFrom("u_short", "bot:ci", "operator"), oddString, fc.integer()),
    reason: oddString,
    seconds: fc.oneof(fc.integer(), fc.double(), fc.constant(365 * 86_400), oddString),
    topic: oddString,
    slowSeconds: fc.oneof(fc.integer({ min: -5, max: 25_000 }), fc.double(), oddString),
    locked: fc.oneof(fc.boolean(), oddString, fc.integer()),
    address: fc.oneof(fc.boolean(), oddString),
    nonce: fc.oneof(fc.stringMatching(NONCE), oddString),
    extra: oddString,
  },
  { requiredKeys: ["type"] },
);

/**
 * Parses a frame: a refusal must carry a known code, an accepted frame only its type's fields.
 * Returns the accepted frame's fields.
 */
function acceptedFields(frame: Record<string, unknown>): Record<string, unknown> | undefined {
  const parsed = parseClientFrame(JSON.stringify(frame), MAX_CHARS);
  if (!parsed.ok) {
    expect(ERROR_CODES).toContain(parsed.code);
    return undefined;
  }
  const value: Record<string, unknown> = { ...parsed.value };
  for (const key of Object.keys(value)) expect(["type", "nonce", ...FIELDS[parsed.value.type]]).toContain(key);
  return value;
}

describe("parseClientFrame under fuzzing", () => {
  it("never throws and refuses only with a known error code", () => {
    fc.assert(
      fc.property(rawFrame, (raw) => {
        const parsed = parseClientFrame(raw, MAX_CHARS);
        if (!parsed.ok) expect(ERROR_CODES).toContain(parsed.code);
      }),
      RUNS,
    );
  });

  it("accepts only messages with storable, non-blank, bounded text and a valid nonce", () => {
    fc.assert(
      fc.property(rawFrame, (raw) => {
        const parsed = parseClientFrame(raw, MAX_CHARS);
        if (!parsed.ok || parsed.value.type !== "message") return;
        const { text, nonce } = parsed.value;
        expect(text.isWellFormed()).toBe(true);
        expect(text.trim()).not.toBe("");
        expect(CONTROL.test(text)).toBe(false);
        expect([...text].length).toBeLessThanOrEqual(MAX_CHARS);
        if (nonce !== undefined) expect(nonce).toMatch(NONCE);
      }),
      RUNS,
    );
  });

  it("keeps only the known fields of an accepted frame, so nothing raw is rebroadcast", () => {
    fc.assert(
      fc.property(rawFrame, (raw) => {
        const parsed = parseClientFrame(raw, MAX_CHARS);
        if (!parsed.ok) return;
        const allowed = parsed.value.type === "message" ? ["type", "text", "nonce"] : ["type"];
        for (const key of Object.keys(parsed.value)) expect(allowed).toContain(key);
      }),
      RUNS,
    );
  });

  it("echoes a nonce in a refusal only when the frame carried a valid one", () => {
    fc.assert(
      fc.property(rawFrame, (raw) => {
        const parsed = parseClientFrame(raw, MAX_CHARS);
        if (parsed.ok || parsed.nonce === undefined) return;
        expect(parsed.nonce).toMatch(NONCE);
        expect(raw).toContain(JSON.stringify(parsed.nonce).slice(1, -1));
      }),
      RUNS,
    );
  });

  it("accepts every well-formed message unchanged", () => {
    const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }).filter((t) => t.trim() !== "" && !CONTROL.test(t) && [...t].length <= MAX_CHARS);
    const nonce = fc.option(fc.stringMatching(NONCE), { nil: undefined });
    fc.assert(
      fc.property(text, nonce, (text, nonce) => {
        const parsed = parseClientFrame(JSON.stringify({ type: "message", text, nonce }), MAX_CHARS);
        expect(parsed).toEqual({ ok: true, value: nonce === undefined ? { type: "message", text } : { type: "message", text, nonce } });
      }),
      RUNS,
    );
  });

  it("accepts an action or reply only with a positive integer id, checked fields and nothing else", () => {
    fc.assert(
      fc.property(actionFrame, (frame) => {
        const value = acceptedFields(frame);
        if (!value) return;
        for (const id of [value.id, value.replyTo].filter((v) => v !== undefined)) {
          expect(Number.isSafeInteger(id) && (id as number) > 0).toBe(true);
        }
        if (value.type === "react") expect(value.emoji).toMatch(RGI);
        if (value.type === "edit") expect((value.text as string).trim()).not.toBe("");
      }),
      RUNS,
    );
  });

  it("accepts a moderation frame only with a real uid, bounded texts and durations, and nothing else", () => {
    fc.assert(
      fc.property(moderationFrame, (frame) => {
        const value = acceptedFields(frame);
        if (!value) return;
        if (value.uid !== undefined) expect(value.uid).toMatch(UID);
        if (typeof value.reason === "string") expect([...value.reason].length).toBeLessThanOrEqual(200);
        if (typeof value.topic === "string") expect([...value.topic].length).toBeLessThanOrEqual(200);
        if (value.seconds !== undefined) expect(Number.isSafeInteger(value.seconds) && (value.seconds as number) >= 1).toBe(true);
        if (value.slowSeconds !== undefined) expect(value.slowSeconds).toBeGreaterThanOrEqual(0);
        if (value.locked !== undefined) expect(typeof value.locked).toBe("boolean");
        if (value.address !== undefined) expect(typeof value.address).toBe("boolean");
      }),
      RUNS,
    );
  });

  it("refuses JSON nested far deeper than any client would send without throwing", () => {
    for (const depth of [10_000, 100_000, 1_000_000]) {
      const parsed = parseClientFrame(`{"type":"message","text":${"[".repeat(depth)}${"]".repeat(depth)}}`, MAX_CHARS);
      expect(parsed.ok).toBe(false);
    }
  });
});
