/**
 * @module
 * The originals of replies older than what the page has loaded, fetched one by one with
 * `GET /api/rooms/<room>/messages/<id>` (with the page's token, room-reads.ts) and kept while the
 * page lives, so that their quotes read like any other. Each id is asked for once at a time; a
 * failed request (offline, a server error, a refused token) is asked again the next time a quote
 * needs it.
 */
import type { MessageFrame } from "../wire/protocol";
import type { RoomReads } from "./room-reads";

/** A fetched original: its state, or `null` when the room no longer has it (404). */
type Fetched = MessageFrame | null;

export class Originals {
  private readonly known = new Map<number, Fetched>();
  private readonly asking = new Set<number>();

  constructor(private readonly reads: RoomReads) {}

  /** Message `id` if fetched (`null`: gone); otherwise `undefined`, and `arrived` is called once it has come. */
  get(id: number, arrived: () => void): Fetched | undefined {
    if (this.known.has(id)) return this.known.get(id);
    void this.ask(id, arrived);
    return undefined;
  }

  /** A live change to a message: a fetched original keeps its current state. */
  update(message: MessageFrame): boolean {
    if (!this.known.has(message.id)) return false;
    this.known.set(message.id, message);
    return true;
  }

  private async ask(id: number, arrived: () => void): Promise<void> {
    if (this.asking.has(id)) return;
    this.asking.add(id);
    try {
      const fetched = await this.fetch(id);
      if (fetched === undefined) return;
      this.known.set(id, fetched);
      arrived();
    } finally {
      this.asking.delete(id);
    }
  }

  private async fetch(id: number): Promise<Fetched | undefined> {
    const response = await this.reads.fetch(`messages/${id}`).catch(() => undefined);
    if (response?.status === 404) return null;
    if (!response?.ok) return undefined;
    const body = (await response.json().catch(() => undefined)) as { message?: MessageFrame } | undefined;
    return body?.message?.id === id ? body.message : undefined;
  }
}
