/**
 * @module
 * localStorage that never throws: storage can be disabled (privacy settings, some embedded
 * browsers), and then the page simply forgets instead of failing.
 */

export function load(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value`, or forgets the key when it is `undefined`. */
export function save(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // See the module comment.
  }
}
