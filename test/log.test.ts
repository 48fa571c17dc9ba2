/**
 * Structured logs (src/log.ts): a storm of connects costs one line per second, and counts stay exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SUMMARY_MS, Tally } from "../src/log";

let lines: Record<string, unknown>[];

beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(JSON.parse(line)));
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("a tally of storm events", () => {
  it("logs the first event of a second whole, and the rest as one line with the count", () => {
    const tally = new Tally();
    for (let n = 1; n <= 5; n++) tally.log("connect", { requestId: `r${n}`, online: n });
    expect(lines).toEqual([expect.objectContaining({ event: "connect", requestId: "r1", online: 1 })]);
    vi.advanceTimersByTime(SUMMARY_MS);
    expect(lines[1]).toEqual(expect.objectContaining({ event: "connect", requestId: "r5", online: 5, repeated: 4 }));
    expect(lines).toHaveLength(2);
  });

  it("keeps events of different kinds apart and adds no summary for a lone event", () => {
    const tally = new Tally();
    tally.log("connect", { online: 1 });
    tally.log("disconnect", { member: "m1" });
    tally.log("disconnect", { member: "m2" });
    vi.advanceTimersByTime(SUMMARY_MS);
    expect(lines.map((line) => [line.event, line.repeated])).toEqual([
      ["connect", undefined],
      ["disconnect", undefined],
      ["disconnect", 1],
    ]);
  });

  it("logs the next second's first event whole again", () => {
    const tally = new Tally();
    tally.log("connect", { online: 1 });
    vi.advanceTimersByTime(SUMMARY_MS);
    tally.log("connect", { online: 2 });
    expect(lines.map((line) => line.online)).toEqual([1, 2]);
  });
});
