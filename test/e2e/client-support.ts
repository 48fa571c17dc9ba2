/**
 * @module
 * Helpers for the client library's tests (packages/client) against a real `wrangler dev`: rooms
 * and keys of their own per test, fast reconnects, and waiting for a room handle's events.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { connect, type Room } from "../../packages/client/src/index";
import type { ConnectOptions, StateEvent } from "../../packages/client/src/types";
import { type DevServer, startDevServer } from "../support/dev-server";

export const PACKAGE_DIR = new URL("../../packages/client/", import.meta.url).pathname;

let counter = 0;
/** A room name no other test uses. */
export function freshRoom(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${++counter}`;
}

/** A valid `key` (the same person on every connection), distinct per name and run. */
function keyFor(name: string): string {
  return `key-${name}-${process.pid}-${Date.now().toString(36)}`.padEnd(16, "x");
}

/** Reconnects quickly: the tests restart servers and should not wait for the page's long backoff. */
export function client(url: string, room: string, name: string, options: Partial<ConnectOptions> = {}): Room {
  return connect({ url, room, name, key: keyFor(name), backoff: { baseMs: 100, maxMs: 1000 }, ...options });
}

/** Every state the room reports from now on. */
export function recordStates(room: Room): StateEvent[] {
  const states: StateEvent[] = [];
  room.on("state", (state) => states.push(state));
  return states;
}

/** Resolves when `predicate` holds, checked after every change of the room (and now). */
export function until(room: Room, predicate: () => boolean, what: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      stop();
      resolve();
    };
    const stop = room.subscribe(check);
    check();
  });
}

/**
 * The file's `wrangler dev` (a test may put a restarted one in its place) and `join`, whose room
 * handles are closed after each test.
 */
export function useClientServer(): { server: DevServer; join: (room: string, name: string) => Room } {
  const open: Room[] = [];
  const fixture = {
    server: undefined as unknown as DevServer,
    join: (room: string, name: string) => {
      const handle = client(fixture.server.url, room, name);
      open.push(handle);
      return handle;
    },
  };
  beforeAll(async () => {
    fixture.server = await startDevServer();
  });
  afterEach(() => {
    for (const room of open.splice(0)) room.close();
  });
  afterAll(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}
