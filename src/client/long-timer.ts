/**
 * @module
 * A timer for a moment however far away. Browsers keep a timer's delay in 32 bits: a longer one
 * (a ban of 30 days) fires at once. So a long wait is cut into steps the browser can wait, each
 * re-armed from the clock until the moment comes.
 */

/** setTimeout's longest wait: 2^31-1 ms, about 24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `wake` once at `at` (ms since epoch; at once if it has passed). Returns a cancel. */
export function wakeAt(at: number, wake: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (): void => {
    const left = at - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(wake, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}
