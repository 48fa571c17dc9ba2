/**
 * @module
 * The ping/pong heartbeat. Mobile networks and NAT boxes drop idle sockets without a Close frame,
 * and the browser then reports the socket open for minutes; a missing pong is the only sign.
 */

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 20_000, timeoutMs: 10_000 };

export class Heartbeat {
  private interval: ReturnType<typeof setInterval> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;

  /** `ping` sends one ping; `dead` is called once when a pong is late. */
  constructor(
    private readonly ping: () => void,
    private readonly dead: () => void,
    private readonly options = DEFAULT_HEARTBEAT,
  ) {}

  start(): void {
    this.stop();
    this.interval = setInterval(() => this.beat(), this.options.intervalMs);
  }

  /** Any pong proves the socket alive. */
  pong(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  stop(): void {
    clearInterval(this.interval);
    clearTimeout(this.deadline);
    this.interval = this.deadline = undefined;
  }

  private beat(): void {
    if (this.deadline !== undefined) return;
    this.ping();
    this.deadline = setTimeout(() => {
      this.stop();
      this.dead();
    }, this.options.timeoutMs);
  }
}
