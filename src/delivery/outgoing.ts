/**
 * @module
 * What the room hands to delivery: encoded frames with who gets which copy, the writes that wait
 * for the group commit, and the flush as a fan-out object receives it. Below the delivery engine
 * (delivery.ts) and above the socket (sockets/socket.ts), so every capability can name them.
 */
import type { Dismissal } from "../sockets/socket";
import { errorFrame, type Member, type Refusal } from "../wire/protocol";

/**
 * One encoded frame and who gets which copy of it. Connections are named by member id, not by
 * socket, so an entry means the same in any object that holds some of the room's sockets.
 */
export interface Outgoing {
  data: string;
  /** Only this connection gets the frame (an error, a repeated acknowledgement). */
  to?: string;
  /** This connection does not get the frame (nobody hears their own typing). */
  except?: string;
  /** This connection gets `own.data` instead: the sender's copy with its nonce, its acknowledgement. */
  own?: { id: string; data: string };
  /** A message's id: a fan-out object skips what it already delivered and sees what it missed. */
  id?: number;
  /** An announcement, which may merge with its neighbours at the flush (see presence.ts). */
  presence?: { type: "join" | "leave"; member: Member };
  /** Once the flush is sent, every object closes this person's sockets (a kick or ban, moderation.ts). */
  dismiss?: Dismissal;
}

/** The dismissals a flush carries, in order. */
export function dismissals(entries: Outgoing[]): Dismissal[] {
  return entries.flatMap((entry) => (entry.dismiss ? [entry.dismiss] : []));
}

/** A write that waits for the next group commit. */
export interface PendingWrite {
  /** Roughly what its frames will weigh, for the batch's byte bound. */
  bytes: number;
  /** Runs inside the flush's transaction; returns what to deliver. */
  commit(): Outgoing[];
  /** The transaction failed and was rolled back: what to tell the writer instead. */
  abort(): Outgoing[];
}

/** A flush as a fan-out object receives it. */
export interface ShardBatch {
  /** The room's newest message id before this batch: an object that delivered less missed some. */
  afterId: number;
  entries: Outgoing[];
}

/** A refusal for the connection that asked alone (none when nobody is waiting for an answer). */
export function toAsker(connection: string | undefined, refusal: Omit<Refusal, "ok">, nonce?: string): Outgoing[] {
  if (connection === undefined) return [];
  return [{ data: JSON.stringify(errorFrame(nonce === undefined ? refusal : { ...refusal, nonce })), to: connection }];
}

/** A frame for everyone; the connection that asked gets its copy with the nonce, its acknowledgement. */
export function withOwnCopy(frame: object, connection: string | undefined, nonce: string | undefined, id?: number): Outgoing {
  const data = JSON.stringify(frame);
  const entry: Outgoing = id === undefined ? { data } : { data, id };
  if (connection !== undefined && nonce !== undefined) entry.own = { id: connection, data: JSON.stringify({ ...frame, nonce }) };
  return entry;
}
