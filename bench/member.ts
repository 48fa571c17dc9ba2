/**
 * @module
 * One simulated room member on the `ws` package. Every member of a run shares one Recorder, and
 * every message's text is `t=<send time>` on the same clock (`performance.now()` of this process,
 * where all members live), so latency is receive time minus send time with no clock skew.
 */
import WebSocket from "ws";

/** What all the members of one run saw. */
export class Recorder {
  /** Send-to-receive latency of every delivery, in ms. */
  readonly latencies: number[] = [];
  /** Connect-to-welcome time of every member, in ms. */
  readonly connectMs: number[] = [];
  errors = 0;
  errorKinds: Record<string, number> = {};
  firstSendAt = Infinity;
  lastDeliveryAt = 0;

  error(kind: string): void {
    this.errors += 1;
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
  }
}

const TAG = '"text":"t=';
const WELCOME_TIMEOUT_MS = 60_000;
/**
 * How long to wait for the server's Close reply before dropping the connection. A server that
 * never answers (before 6820e63 the room ignored a status-less Close) must not slow runs down.
 */
const CLOSE_GRACE_MS = 200;

export class Member {
  readonly ws: WebSocket;
  /** Resolves with the welcome frame's raw text, or rejects when the socket fails first. */
  readonly welcomed: Promise<string>;
  sent = 0;
  /** Uploaded file ids this member attaches, one to every `filesEvery`-th message (0: none). */
  attachments: string[] = [];
  filesEvery = 0;
  /** Messages received from anyone, own echoes included. */
  received = 0;
  private closedByUs = false;
  private joined = false;

  private readonly recorder: Recorder;

  constructor(url: string, recorder: Recorder) {
    this.recorder = recorder;
    const startedAt = performance.now();
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.welcomed = new Promise((resolve, reject) => {
      // Bounded: a server that accepts but never welcomes must not hang the run.
      const timer = setTimeout(() => {
        reject(new Error("no welcome within 60 s"));
        this.ws.terminate();
      }, WELCOME_TIMEOUT_MS);
      this.ws.once("close", () => clearTimeout(timer));
      this.ws.once("error", (error) => reject(error));
      this.ws.once("close", (code) => reject(new Error(`closed ${code} before welcome`)));
      this.ws.on("message", (data: Buffer, isBinary: boolean) => {
        const text = isBinary ? "" : data.toString();
        if (text.startsWith('{"type":"welcome"')) {
          recorder.connectMs.push(performance.now() - startedAt);
          this.joined = true;
          clearTimeout(timer);
          resolve(text);
        } else this.onFrame(text);
      });
    });
    this.welcomed.catch(() => recorder.error("connect"));
    this.ws.on("error", () => undefined);
    this.ws.on("close", () => {
      // Before the welcome, the failure is already counted as "connect".
      if (this.joined && !this.closedByUs) recorder.error("closed");
    });
  }

  private onFrame(text: string): void {
    // Cheap on purpose: one event loop parses every delivery of a run, so no JSON.parse here.
    if (text.startsWith('{"type":"message"')) this.deliveries(text);
    else if (text.startsWith('{"type":"error"')) this.recorder.error(/"code":"([^"]+)"/.exec(text)?.[1] ?? "error");
    else if (text.startsWith('{"type":"batch"')) {
      // A bench message's text is only `t=<number>`, so the tags and codes found are real frames'.
      this.deliveries(text);
      for (const [, code] of text.matchAll(/"type":"error","code":"([^"]+)"/g)) this.recorder.error(code ?? "error");
    }
  }

  /** Records every timestamped message in a frame (one, or all of a batch). */
  private deliveries(text: string): void {
    const now = performance.now();
    for (let at = text.indexOf(TAG); at >= 0; at = text.indexOf(TAG, at + TAG.length)) {
      this.recorder.latencies.push(now - parseFloat(text.slice(at + TAG.length, at + TAG.length + 24)));
      this.recorder.lastDeliveryAt = now;
      this.received += 1;
    }
  }

  /** Sends one timestamped message; the nonce makes it a real client's frame (it is acknowledged). */
  send(): void {
    const now = performance.now();
    if (now < this.recorder.firstSendAt) this.recorder.firstSendAt = now;
    this.sent += 1;
    const file = this.filesEvery > 0 && this.sent % this.filesEvery === 0 ? this.attachments.pop() : undefined;
    const files = file === undefined ? "" : `,"files":["${file}"]`;
    this.ws.send(`{"type":"message","text":"t=${now}","nonce":"${this.sent}-${Math.random().toString(36).slice(2, 10)}"${files}}`);
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): Promise<void> {
    this.closedByUs = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.ws.once("close", () => resolve()));
    // With a status code: a status-less Close arrives as 1005, which a server may not echo.
    this.ws.close(1000);
    // Then drop the TCP connection: the server sees it end either way and the member leaves.
    const timeout = new Promise<void>((resolve) =>
      setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, CLOSE_GRACE_MS).unref(),
    );
    return Promise.race([closed, timeout]);
  }
}

/**
 * A member's socket URL. Every member asks for batch frames; the baselines ignore the parameter
 * and keep sending one frame per message, as their peers do.
 */
export function memberUrl(target: { wsUrl: string }, room: string, name: string): string {
  return `${target.wsUrl}/chat/${room}?name=${name}&batch=1`;
}

/** Connects `count` members to `url`, at most `parallel` handshakes at a time (all at once: Infinity). */
export async function connectMembers(url: (i: number) => string, count: number, recorder: Recorder, parallel = 50): Promise<Member[]> {
  const members: Member[] = [];
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < count; i++) {
    const member = new Member(url(i), recorder);
    members.push(member);
    const done = member.welcomed.catch(() => undefined).finally(() => inFlight.delete(done));
    inFlight.add(done);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return members;
}

export async function closeAll(members: Member[]): Promise<void> {
  await Promise.all(members.map((member) => member.close()));
}
