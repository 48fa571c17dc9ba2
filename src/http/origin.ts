/**
 * @module
 * The WebSocket origin policy, applied by the worker before a room sees the upgrade.
 */

/**
 * Cross-site WebSocket hijacking guard. Browsers always send `Origin` on a WebSocket upgrade, so a
 * missing one means a non-browser client (a bot, a CLI, a test), which has no ambient cookies to
 * abuse and is allowed.
 */
export function originAllowed(origin: string | undefined, self: string, allowed: string[]): boolean {
  return origin === undefined || origin === self || allowed.includes(origin);
}
