/**
 * @module
 * One socket, whichever object holds it: sending without throwing, closing by the platform's
 * rules, turning a newcomer away in-band, and who a delivery or a dismissal is for.
 */
import { log } from "../log";
import { errorFrame, type Refusal } from "../wire/protocol";

/** A member's connection id, its socket, and whether it reads `batch` frames. */
export interface Recipient {
  id: string;
  ws: WebSocket;
  batch: boolean;
}

/** Every socket of `uid`, in whichever object holds it, is closed with `code` and leaves the room. */
export interface Dismissal {
  uid: string;
  code: number;
  reason: string;
}

/** A close reason is at most 123 bytes of UTF-8. */
const MAX_CLOSE_REASON_BYTES = 123;

/** Close codes a peer can't send in a Close frame; the runtime throws if we echo them. */
function isReservedCloseCode(code: number): boolean {
  return code === 1005 || code === 1006 || code === 1015;
}

export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  if (isReservedCloseCode(code)) return;
  try {
    ws.close(code, reason);
  } catch {
    // Already closed (from 2026-04-07 the runtime answers a peer's Close itself), or reason > 123 bytes.
  }
}

/**
 * Accepts a socket only to say why it may not stay, then closes it: in-band rather than an HTTP
 * error, which a browser's WebSocket never shows its page. Never a member, never a recipient.
 */
export function turnAway(ctx: DurableObjectState, refusal: Refusal, code: number, reason: string, requestId?: string): Response {
  log("refused", { reason: refusal.code, requestId });
  const { 0: client, 1: server } = new WebSocketPair();
  ctx.acceptWebSocket(server);
  send(server, JSON.stringify(errorFrame(refusal)));
  closeQuietly(server, code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

export function send(ws: WebSocket, data: string): void {
  try {
    ws.send(data);
  } catch {
    // The socket is closing; its close handler will announce the leave.
  }
}

/**
 * Answers a peer's Close. A Close frame without a status arrives as 1005, which may not be sent
 * back. Locally the runtime does not answer it either, so reply with a normal closure: otherwise
 * the client waits out its own close timeout (10 s in `ws`) and reports 1006.
 */
export function replyClose(ws: WebSocket, code: number, reason: string): void {
  closeQuietly(ws, code === 1005 ? 1000 : code, reason);
}

/** A close reason that fits the protocol's 123 bytes: the moderator's reason, cut short, or `fallback`. */
export function closeReason(reason: string | undefined, fallback: string): string {
  if (reason === undefined) return fallback;
  const encoder = new TextEncoder();
  let cut = "";
  let bytes = 0;
  for (const char of reason) {
    bytes += encoder.encode(char).byteLength;
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    cut += char;
  }
  return cut;
}
