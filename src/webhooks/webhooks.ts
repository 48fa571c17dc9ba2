/**
 * @module
 * Delivery of the room's outbox (outbox.ts) to WEBHOOK_URL: one signed POST at a time, in the
 * room's order, each carrying what accumulated while the previous one was in flight. It runs in
 * the room's own object, never awaited by anything that serves a member: a slow or dead receiver
 * costs the room nothing but the outbox's rows. The room's alarm is the safety net: set before
 * every attempt for when it should be over, and for every retry, so an object evicted or killed
 * mid-delivery wakes up and goes on (docs/architecture.md, "Webhooks").
 */
import type { PendingWrite } from "../delivery/outgoing";
import { log } from "../log";
import type { EventType, Journal } from "./events";
import { type Batch, Outbox, type OutboxCopy } from "./outbox";
import type { WebhookSettings } from "./settings";
import { Signer } from "./sign";

const DAY_MS = 86_400_000;

export interface WebhookHooks {
  /** The room's name, in every event. */
  room: string;
  /** `ctx.storage.transactionSync`. */
  transaction<T>(fn: () => T): T;
  /** The room's alarm must ring by `at` (it may ring earlier for its own reasons). */
  wake(at: number): void;
}

/** What `GET /api/rooms/<room>/webhooks` answers (docs/protocol.md). */
export interface WebhookStatus {
  enabled: boolean;
  /** Set by a 410 from the receiver; a replay turns the endpoint on again. */
  disabled: { at: number; reason: string } | null;
  outbox: { events: number; oldestAt: number | null; oldestAgeSeconds: number | null };
  /** The delivery being tried, or waiting for its retry. */
  next: BatchInfo | null;
  lastError: { at: number; message: string } | null;
  lastDeliveredAt: number | null;
  deadLetters: BatchInfo[];
}

interface BatchInfo {
  id: string;
  firstSeq: number;
  lastSeq: number;
  events: number;
  attempts: number;
  nextAttemptAt?: number;
  deadAt?: number;
  lastError: string | null;
}

type Outcome = { ok: true } | { ok: false; error: string; gone?: true; retryAfterMs?: number };

/** When to try again after `failures` failed attempts: the schedule's step, give or take a quarter. */
function backoff(schedule: number[], failures: number): number {
  return schedule[failures - 1]! * 1000 * (0.75 + Math.random() * 0.5);
}

/** `Retry-After` in seconds or as an HTTP date, as a delay, at most a day. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  const delay = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(delay) ? undefined : Math.min(Math.max(delay, 0), DAY_MS);
}

function info(batch: Batch): BatchInfo {
  const { id, firstSeq, lastSeq, events, attempts, lastError } = batch;
  const when = batch.deadAt === null ? { nextAttemptAt: batch.nextAt } : { deadAt: batch.deadAt };
  return { id, firstSeq, lastSeq, events, attempts, ...when, lastError };
}

export class Webhooks {
  private readonly outbox: Outbox;
  private readonly signer: Signer | undefined;
  private sending = false;
  private kicked = false;

  constructor(
    sql: SqlStorage,
    private readonly settings: WebhookSettings,
    private readonly hooks: WebhookHooks,
  ) {
    this.outbox = new Outbox(sql);
    this.signer = settings.endpoint && new Signer(settings.endpoint.key);
    // Woken after an eviction or a crash with deliveries pending: go on at once.
    if (this.signer && this.due() !== undefined) this.kick();
  }

  /** How long an attempt may take, and a little: the alarm set before it rings after this. */
  private get lease(): number {
    return this.settings.timeoutMs + 1000;
  }

  private wants(type: EventType): boolean {
    return this.signer !== undefined && this.settings.events.has(type);
  }

  /** The journal the room's writers record their events with, inside the group commit. */
  readonly record: Journal = (type, data) => {
    if (!this.wants(type)) return;
    this.outbox.add(type, JSON.stringify(data), Date.now());
    this.kick();
  };

  /** A person's arrival or departure as a write for the group commit, in order with the frames around it. */
  person(type: "member.joined" | "member.left", member: { uid: string; name: string }): PendingWrite | undefined {
    if (!this.wants(type)) return undefined;
    const data = { uid: member.uid, name: member.name };
    const commit = () => {
      this.record(type, data);
      return [];
    };
    return { bytes: 0, commit, abort: () => [] };
  }

  /** Starts sending once the current step (the group commit's transaction) is over. */
  private kick(): void {
    if (this.kicked) return;
    this.kicked = true;
    queueMicrotask(() => {
      this.kicked = false;
      void this.send();
    });
  }

  /** When the room's alarm must ring next for the outbox, if at all. */
  due(now = Date.now()): number | undefined {
    if (!this.signer || this.outbox.state("disabled")) return undefined;
    if (this.sending) return now + this.lease;
    const head = this.outbox.head();
    if (head) return head.nextAt;
    return this.outbox.waiting() ? now : undefined;
  }

  /** Sends every batch that is due, oldest first, until one fails or none is left. Never throws. */
  async send(): Promise<void> {
    if (this.sending || !this.signer) return;
    this.sending = true;
    try {
      for (let batch = this.next(); batch && batch.nextAt <= Date.now(); batch = this.next()) {
        this.hooks.wake(Date.now() + this.lease);
        if (!(await this.attempt(batch))) break;
      }
    } catch (error) {
      log("error", { where: "webhooks", message: String(error) });
    } finally {
      this.sending = false;
      const due = this.due();
      if (due !== undefined) this.hooks.wake(due);
    }
  }

  /** The oldest live batch, or a new one of what waits; nothing while the endpoint is off. */
  private next(): Batch | undefined {
    if (this.outbox.state("disabled")) return undefined;
    return this.outbox.head() ?? this.hooks.transaction(() => this.outbox.cut(this.hooks.room, Date.now()));
  }

  /** One POST of `batch` and its bookkeeping; whether to go on with the next batch. */
  private async attempt(batch: Batch): Promise<boolean> {
    const outcome = await this.post(batch);
    const now = Date.now();
    if (outcome.ok) {
      this.outbox.delivered(batch.id);
      this.outbox.setState("last_delivered_at", String(now));
      return true;
    }
    const { error } = outcome;
    const failures = batch.attempts + 1;
    log("webhook_failed", { id: batch.id, events: batch.events, attempt: failures, error });
    this.outbox.setState("last_error", JSON.stringify({ at: now, message: error }));
    if (outcome.gone) {
      this.outbox.failed(batch.id, error, now);
      this.outbox.setState("disabled", JSON.stringify({ at: now, reason: `the receiver answered 410 Gone` }));
      log("webhook_disabled", { id: batch.id });
      return false;
    }
    if (failures > this.settings.retrySeconds.length) {
      this.outbox.bury(batch.id, error, now);
      log("webhook_dead_letter", { id: batch.id, events: batch.events, firstSeq: batch.firstSeq, lastSeq: batch.lastSeq });
      return true;
    }
    this.outbox.failed(batch.id, error, now + (outcome.retryAfterMs ?? backoff(this.settings.retrySeconds, failures)));
    return false;
  }

  private async post(batch: Batch): Promise<Outcome> {
    const { url } = this.settings.endpoint!;
    const signed = await this.signer!.headers(batch.id, batch.body);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...signed, "content-type": "application/json" },
        body: batch.body,
        // A redirect is an answer like any other non-2xx: the signed body goes only where configured.
        redirect: "manual",
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      const error = `HTTP ${response.status}`;
      if (response.status === 410) return { ok: false, error, gone: true };
      const limited = response.status === 429 || response.status === 503;
      return { ok: false, error, retryAfterMs: limited ? retryAfterMs(response.headers.get("retry-after"), Date.now()) : undefined };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      return { ok: false, error: timedOut ? `no answer within ${this.settings.timeoutMs} ms` : `unreachable: ${String(error)}` };
    }
  }

  status(now = Date.now()): WebhookStatus {
    const { events, oldestTs } = this.outbox.depth();
    const head = this.outbox.head();
    const parse = <T>(key: "disabled" | "last_error"): T | null => JSON.parse(this.outbox.state(key) ?? "null") as T | null;
    const delivered = this.outbox.state("last_delivered_at");
    return {
      enabled: this.signer !== undefined,
      disabled: parse("disabled"),
      outbox: { events, oldestAt: oldestTs, oldestAgeSeconds: oldestTs === null ? null : Math.max(0, Math.round((now - oldestTs) / 1000)) },
      next: head ? info(head) : null,
      lastError: parse("last_error"),
      lastDeliveredAt: delivered === undefined ? null : Number(delivered),
      deadLetters: this.outbox.dead().map(info),
    };
  }

  /** Sends the dead letters again (and turns a 410'd endpoint back on); returns how many. */
  replay(now = Date.now()): number {
    const revived = this.outbox.revive(now);
    this.outbox.setState("disabled", undefined);
    this.kick();
    return revived;
  }

  /** See Outbox.copy: the room's storage is about to be wiped. */
  copy(): OutboxCopy {
    return this.outbox.copy();
  }

  restore(copy: OutboxCopy): void {
    this.outbox.restore(copy);
  }
}
