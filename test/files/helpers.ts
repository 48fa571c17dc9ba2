/**
 * Uploading and fetching files the way the page does: a FormData POST with the person's key, and a
 * GET of the URL the upload answered.
 */
import { env, runInDurableObject } from "cloudflare:test";
import type { FileRef } from "../../src/wire/protocol";
import { request } from "../helpers";

export interface Uploaded {
  status: number;
  file?: FileRef;
  error?: { code: string; message: string };
  headers: Headers;
}

/** Uploads `bytes` as `name`; `type` is the client's claim, which the server ignores. */
export async function upload(
  room: string,
  key: string | undefined,
  bytes: Uint8Array,
  name = "file.bin",
  type = "application/octet-stream",
  headers: Record<string, string> = {},
): Promise<Uploaded> {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type }));
  const query = key === undefined ? "" : `?key=${key}`;
  const response = await request(`/api/rooms/${room}/files${query}`, { method: "POST", body: form, headers });
  const body = (await response.json()) as { file?: FileRef; error?: { code: string; message: string } };
  return { status: response.status, ...body, headers: response.headers };
}

/** Uploads a file that must be accepted; returns its record. */
export async function uploaded(room: string, key: string, bytes: Uint8Array, name = "file.bin"): Promise<FileRef> {
  const answer = await upload(room, key, bytes, name);
  if (!answer.file) throw new Error(`upload refused: ${answer.status} ${JSON.stringify(answer.error)}`);
  return answer.file;
}

export function fetchFile(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return request(url, { headers });
}

export async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

/** Whether the room's bucket still holds the file's bytes. */
export async function inBucket(room: string, id: string): Promise<boolean> {
  return (await env.FILES.head(`${room}/${id}`)) !== null;
}

/** Moves a file's upload time back, as if it had waited that long for a message. */
export function ageUpload(room: string, id: string, ms: number): Promise<void> {
  return runInDurableObject(env.ROOMS.getByName(room), (_room, state) => {
    state.storage.sql.exec("UPDATE files SET uploaded_at = uploaded_at - ? WHERE id = ?", ms, id);
  });
}
