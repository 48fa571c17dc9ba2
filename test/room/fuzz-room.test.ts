/**
 * Property-based fuzzing of the room: a connection sends random and malformed frames while a
 * bystander chats. The room answers each frame as the protocol says, in order, and the bystander's
 * conversation and the stored history stay whole (invariant 4 of docs/reliability.md).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClientFrame } from "../../src/wire/parse";
import type { ServerFrame } from "../../src/wire/protocol";
import { comparable } from "../e2e/reliable-client";
import { join, roomName } from "../helpers";
import { rawFrame, storedLog } from "../reliability-helpers";

const MAX_CHARS = 2000;
const SENTINEL = "~fuzz-sentinel~";

type Frame = string | Uint8Array;

/**
 * What the sender should get back for each frame, in order: an error code, its own message, or
 * nothing. A nonce it already used is a retry with the same text and a conflict with another.
 */
function expectedAnswers(frames: Frame[]): string[] {
  const textOf = new Map<string, string>();
  return frames.flatMap((frame) => {
    if (typeof frame !== "string") return ["error:binary_unsupported"];
    const parsed = parseClientFrame(frame, MAX_CHARS);
    if (!parsed.ok) return [`error:${parsed.code}`];
    if (parsed.value.type !== "message") return [];
    const { text, nonce } = parsed.value;
    if (nonce === undefined) return ["message"];
    if ((textOf.get(nonce) ?? text) !== text) return ["error:nonce_conflict"];
    textOf.set(nonce, text);
    return ["message"];
  });
}

function answer(frame: ServerFrame, self: string): string | undefined {
  if (frame.type === "error") return `error:${frame.code}`;
  if (frame.type === "message" && frame.from.id === self) return "message";
  return undefined;
}

// Under the burst (20), so the rate limit never joins in; under the frame size, so nobody is closed.
const frames = fc.array(fc.oneof({ arbitrary: rawFrame, weight: 5 }, fc.uint8Array({ maxLength: 64 })), { maxLength: 15 });

describe("room under fuzzing", () => {
  it("answers every frame as the protocol says and stays healthy for a bystander", async () => {
    await fc.assert(
      fc.asyncProperty(frames, async (sent) => {
        const room = roomName("fuzz");
        const bystander = await join(room, "bystander");
        const fuzzer = await join(room, "fuzzer");
        const self = (await fuzzer.welcome()).you.id;
        for (const frame of sent) fuzzer.ws.send(frame);
        fuzzer.say("end", SENTINEL);
        await fuzzer.until(() => fuzzer.ofType("message").some((m) => m.nonce === SENTINEL), 5000, "sentinel echo");

        const answers = fuzzer.frames.map((frame) => answer(frame, self)).filter((a) => a !== undefined);
        expect(answers).toEqual([...expectedAnswers(sent), "message"]);

        bystander.say("still here", "bystander-1");
        await bystander.until(() => bystander.ofType("message").some((m) => m.nonce === "bystander-1"), 5000, "own echo");
        expect(bystander.ofType("leave")).toEqual([]);
        expect(fuzzer.closed).toBeUndefined();
        expect(bystander.messages().map(comparable)).toEqual(await storedLog(room));
        fuzzer.close();
        bystander.close();
      }),
      { numRuns: 50 },
    );
  }, 60_000);

  it("never acknowledges a member's message with another connection's message that reused its nonce", async () => {
    const room = roomName("nonce");
    const mallory = await join(room, "mallory");
    const alice = await join(room, "alice");
    // Nonces are only echoed to their sender, but a counter-style nonce is easy to guess.
    mallory.say("not what alice wrote", "alice-1");
    await mallory.next("message");
    alice.say("hello from alice", "alice-1");
    const answer = () => alice.frames.find((f) => (f.type === "message" || f.type === "error") && f.nonce === "alice-1");
    const ack = await alice.until(answer, 3000, "an answer to alice");
    // Refusing the reused nonce is fine; acknowledging mallory's message as alice's is not.
    if (ack.type === "message") {
      expect(ack).toMatchObject({ text: "hello from alice", from: { name: "alice" } });
      expect(await storedLog(room)).toContainEqual([ack.id, ack.from.id, "alice", "hello from alice"]);
    }
  });
});
