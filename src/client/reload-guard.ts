/**
 * @module
 * A reload that loses nothing. The language switch reloads the page, so that every string and
 * time is drawn once, in one language; but a reload drops the messages typed offline that still
 * wait to be sent, and with the browser offline the page would not even load again. So the reload
 * waits until the browser is online and every guard (the room page's outbox) says nothing is
 * waiting, checking a few times a second meanwhile.
 */

/** How often a waiting reload looks again. */
const CHECK_MS = 200;

const guards = new Set<() => boolean>();
let waiting: ReturnType<typeof setInterval> | undefined;

/** `safe` answers whether a reload now would lose nothing. */
export function guardReload(safe: () => boolean): void {
  guards.add(safe);
}

/** Whether a reload now would lose nothing. */
function reloadIsSafe(): boolean {
  return navigator.onLine && [...guards].every((safe) => safe());
}

/**
 * Reloads the page as soon as that loses nothing; `held` is called when it has to wait. `reload`
 * is the reload itself (an embedded room's goes to another address).
 */
export function reloadWhenSafe(held: () => void, reload: () => void = () => location.reload()): void {
  if (waiting !== undefined) return;
  if (reloadIsSafe()) return reload();
  held();
  waiting = setInterval(() => {
    if (!reloadIsSafe()) return;
    clearInterval(waiting);
    reload();
  }, CHECK_MS);
}
