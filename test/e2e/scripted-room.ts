/**
 * @module
 * A room played by the test for the page's connection logic (src/client/connection.ts) in Node: a
 * scripted socket the test feeds frames to and reads sent frames from, and frame builders. The
 * page's person is Bob (uid `u_bob`) on every socket; Alice is someone else.
 */

import { Connection, type ConnectionEvent } from "../../packages/client/src/connection";
import type { MessageFrame, Sender, UpdateFrame, WelcomeFrame, WireFrame } from "../../src/wire/protocol";

export class ScriptedSocket {
  sent: string[] = [];
  closedWith: number | undefined;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code ?? 1000;
  }
  receive(frame: WireFrame | string): void {
    this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006, reason = ""): void {
    this.onclose?.({ code, reason });
  }
  /** The JSON frames sent, parsed. */
  frames(): { type: string; text?: string; nonce?: string; id?: number; emoji?: string; replyTo?: number; uid?: string }[] {
    return this.sent.filter((s) => s.startsWith("{")).map((s) => JSON.parse(s) as { type: string });
  }
  /** The message frames sent, as `text` values. */
  texts(): string[] {
    return this.frames().flatMap((f) => (f.type === "message" ? [f.text!] : []));
  }
}

export const ALICE: Sender = { id: "a1", uid: "u_alice", name: "Alice" };

/** Bob, the page's person, on the socket whose member id is `socket`. */
export function bob(socket: string): Sender {
  return { id: socket, uid: "u_bob", name: "Bob" };
}

export function welcome(you: string, history: MessageFrame[] = [], latestId = history.at(-1)?.id ?? 0, gap = false): WelcomeFrame {
  const member = { ...bob(you), joinedAt: 0 };
  const limits = { maxMessageChars: 2000, maxFrameBytes: 16384, ratePerSecond: 10, rateBurst: 20 };
  const room = { owner: null, moderators: [], topic: "", slowSeconds: 0, locked: false };
  return { type: "welcome", you: member, members: [member], online: 1, history, latestId, gap, limits, room };
}

export function message(id: number, text: string, from: Sender = ALICE, nonce?: string): MessageFrame {
  const frame: MessageFrame = { type: "message", id, from, text, ts: 0 };
  if (nonce !== undefined) frame.nonce = nonce;
  return frame;
}

/** The update that puts `message` in its new state at `seq`. */
export function update(seq: number, message: MessageFrame, nonce?: string): UpdateFrame {
  const { nonce: _, ...state } = message;
  const frame: UpdateFrame = { type: "update", seq, message: state };
  if (nonce !== undefined) frame.nonce = nonce;
  return frame;
}

export interface ScriptedRoom {
  connection: Connection;
  sockets: ScriptedSocket[];
  events: ConnectionEvent[];
  /** The socket the connection opened last. */
  last(): ScriptedSocket;
}

/** A started connection to https://chat.example/chat/lobby as Bob, on scripted sockets. */
export function scriptedRoom(): ScriptedRoom {
  const sockets: ScriptedSocket[] = [];
  const events: ConnectionEvent[] = [];
  const connection = new Connection({
    roomUrl: "https://chat.example/chat/lobby",
    name: "Bob",
    onEvent: (event) => events.push(event),
    createSocket: (url) => {
      const socket = new ScriptedSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
  });
  connection.start();
  return { connection, sockets, events, last: () => sockets.at(-1)! };
}
