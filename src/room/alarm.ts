/**
 * @module
 * The room's one alarm, shared by two clocks: the clean-up round (stats, retention, idle and
 * expired sockets, the files' sweep: lifecycle.ts) and the webhook outbox. Each keeps its own
 * time, and the alarm rings at the earlier one; a ring for the outbox leaves the round its time.
 */
import { log } from "../log";

export class RoomAlarm {
  /** When the alarm rings, as this object last set it. */
  private at: number | undefined;
  /** When the clean-up round is due; 0 (a fresh object) means at the next ring. */
  private roundAt = 0;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly outboxDue: (now: number) => number | undefined,
  ) {}

  /** The clean-up round is next due at `roundAt` (ms); the alarm rings then, or sooner for the outbox. */
  plan(roundAt: number, now: number): void {
    this.roundAt = roundAt;
    this.resume(now);
  }

  /** Something needs the clean-up round by `at` (a token's expiry): brought forward, never back. */
  roundBy(at: number): void {
    this.roundAt = Math.min(this.roundAt, at);
    this.wake(at);
  }

  /** The outbox needs the alarm by `at`: it rings then unless it already rings sooner. */
  wake(at: number): void {
    if (this.at === undefined || at < this.at) this.set(at);
  }

  /** The alarm rang: whether the clean-up round is due (false: it rang early, for the outbox). */
  rang(): boolean {
    const early = this.at !== undefined && this.at < this.roundAt;
    this.at = undefined;
    return !early;
  }

  /** After an early ring: set again for the round, or the outbox's next retry if sooner. */
  resume(now: number): void {
    this.set(Math.min(this.roundAt, this.outboxDue(now) ?? Number.POSITIVE_INFINITY));
  }

  /** The room's storage, its alarm with it, was wiped. */
  cleared(): void {
    this.at = undefined;
  }

  private set(at: number): void {
    this.at = at;
    // Fails only when the object is going away; the next one sets it again.
    this.storage.setAlarm(at).catch((error: unknown) => log("error", { where: "alarm", message: String(error) }));
  }
}
