/**
 * @module
 * A wait longer than the browser's timer limit (2^31-1 ms, about 24.8 days): a ban of 40 days
 * still ends on time, since the page re-arms its timer in steps the browser can wait.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { wakeAt } from "../../src/client/long-timer";

const DAY = 86_400_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("wakeAt", () => {
  it("calls back when a moment 40 days away comes, not before", () => {
    const woke = vi.fn();
    wakeAt(Date.now() + 40 * DAY, woke);
    vi.advanceTimersByTime(40 * DAY - 1);
    expect(woke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(woke).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100 * DAY);
    expect(woke).toHaveBeenCalledTimes(1);
  });

  it("calls back on time for a short wait, and at once for a moment passed", () => {
    const soon = vi.fn();
    const past = vi.fn();
    wakeAt(Date.now() + 5000, soon);
    wakeAt(Date.now() - 5000, past);
    vi.advanceTimersByTime(0);
    expect(past).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(4999);
    expect(soon).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(soon).toHaveBeenCalledTimes(1);
  });

  it("never calls back once cancelled, even after a re-arm", () => {
    const woke = vi.fn();
    const cancel = wakeAt(Date.now() + 60 * DAY, woke);
    vi.advanceTimersByTime(30 * DAY);
    cancel();
    vi.advanceTimersByTime(60 * DAY);
    expect(woke).not.toHaveBeenCalled();
  });
});
