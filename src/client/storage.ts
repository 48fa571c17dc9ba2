/**
 * @module
 * Web storage that never throws: storage can be disabled (privacy settings, some embedded
 * browsers), and then the page simply forgets instead of failing. localStorage by default;
 * sessionStorage for what belongs to one tab.
 */

type Area = "local" | "session";

/** Inside the callers' `try`: merely reading `window.localStorage` throws where storage is denied. */
function storage(area: Area): Storage {
  return area === "local" ? localStorage : sessionStorage;
}

export function load(key: string, area: Area = "local"): string | undefined {
  try {
    return storage(area).getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value`, or forgets the key when it is `undefined`. */
export function save(key: string, value: string | undefined, area: Area = "local"): void {
  try {
    if (value === undefined) storage(area).removeItem(key);
    else storage(area).setItem(key, value);
  } catch {
    // See the module comment.
  }
}
