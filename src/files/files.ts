/**
 * @module
 * A room's files, on the room's side: it admits uploads within its limits, lends messages the
 * files they carry, and deletes from R2 what its records no longer name. The bytes never pass
 * through the room object: the worker streams them to R2 (src/http/files.ts) once the room has
 * said yes, and tells it when that failed.
 */
import { log } from "../log";
import { refuse } from "../wire/checks";
import type { FileRef, Parsed, Refusal } from "../wire/protocol";
import { type FileConfig, UNATTACHED_TTL_MS } from "./rules";
import type { Sniffed } from "./sniff";
import { type FileRecord, FileStore } from "./store";

/** An upload the worker has checked and sniffed, asking the room for a place. */
export interface Upload extends Sniffed {
  uid: string;
  name: string;
  size: number;
}

/** A place for an upload: its record's public form, and the object key its bytes go to. */
export interface Admitted {
  file: FileRef;
  key: string;
}

/** A file as served: its record, and where its bytes are. */
export interface Served extends FileRecord {
  key: string;
}

/** R2 deletes at most this many keys in one call. */
const DELETE_BATCH = 1000;
/** How soon the alarm retries a trash R2 could not empty. */
const RETRY_MS = 60_000;

function fileId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `f_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
}

export class Files {
  readonly store: FileStore;

  constructor(
    sql: SqlStorage,
    private readonly bucket: R2Bucket,
    room: string,
    private readonly config: FileConfig,
  ) {
    this.store = new FileStore(sql, room, config.urlSigning);
  }

  migrate(): void {
    this.store.migrate();
  }

  /** Records an upload about to be stored, or refuses it: over the person's pace or the room's total. */
  admit(upload: Upload, now: number): Parsed<Admitted> {
    const { uploadsPerMinute, roomFileBytes } = this.config;
    if (this.store.uploadsSince(upload.uid, now - 60_000) >= uploadsPerMinute) {
      return { ...refuse("rate_limited", `at most ${uploadsPerMinute} uploads a minute`), retryAfter: 60 };
    }
    if (this.store.totalBytes() + upload.size > roomFileBytes) {
      return refuse("file_too_large", `the room's files would pass its ${roomFileBytes} bytes; delete some messages with files first`);
    }
    const record: FileRecord = { ...upload, id: fileId(), uploadedAt: now };
    this.store.add(record);
    return { ok: true, value: { file: this.store.ref(record), key: this.store.key(record.id) } };
  }

  /** The upload never reached R2: its record goes, so it neither counts nor can be attached. */
  release(id: string): void {
    this.store.remove(id);
  }

  /** The file a URL names, while the room keeps it. */
  served(id: string): Served | undefined {
    const record = this.store.get(id);
    return record && { ...record, key: this.store.key(id) };
  }

  /** Why `uid` may not attach `ids` to a new message: each must be their own upload here, not yet attached. */
  unattachable(ids: string[], uid: string): Refusal | undefined {
    const id = this.store.unusable(ids, uid);
    return id === undefined ? undefined : refuse("not_found", `file ${id} is not an unattached upload of yours in this room`);
  }

  attach(ids: string[], messageId: number): FileRef[] {
    return this.store.attach(ids, messageId);
  }

  /** Moves uploads unattached for an hour to the trash, then empties the trash. */
  async sweep(now: number): Promise<void> {
    this.store.expire(now - UNATTACHED_TTL_MS);
    await this.purge();
  }

  /**
   * Deletes from R2 the bytes of files the room no longer keeps. A failure leaves them in the
   * trash for the alarm's next try; their URLs already answer 404, since the records are gone.
   */
  async purge(): Promise<void> {
    for (let ids = this.store.trash(DELETE_BATCH); ids.length > 0; ids = this.store.trash(DELETE_BATCH)) {
      try {
        await this.bucket.delete(ids.map((id) => this.store.key(id)));
      } catch (error) {
        log("error", { where: "files.purge", message: String(error) });
        return;
      }
      this.store.emptied(ids);
    }
  }

  /** When the room's alarm must ring for its files: an upload's hour ending, or a trash to retry. */
  dueAt(now: number): number | undefined {
    if (this.store.trash(1).length > 0) return now + RETRY_MS;
    const oldest = this.store.oldestUnattached();
    return oldest === undefined ? undefined : oldest + UNATTACHED_TTL_MS;
  }

  /** Deletes every object of the room from R2, before its storage is wiped. */
  async deleteAll(): Promise<void> {
    let cursor: string | undefined;
    do {
      const listed = await this.bucket.list({ prefix: this.store.prefix, cursor, limit: DELETE_BATCH });
      if (listed.objects.length > 0) await this.bucket.delete(listed.objects.map((object) => object.key));
      cursor = listed.truncated ? listed.cursor : undefined;
    } while (cursor !== undefined);
  }
}
