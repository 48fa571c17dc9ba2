/**
 * @module
 * How a stored file is served so that it can never act as a page of this site: the type the room
 * recorded (never the client's), no sniffing by the browser, a sandbox around anything that does
 * get rendered, and inline display only for raster images. SVG and HTML are never recorded as
 * images (sniff.ts), so they always download.
 */

import { INLINE_TYPES } from "./sniff";
import type { FileRecord } from "./store";

/** The response headers of a file, whatever part of it is asked for. */
export function servedHeaders(file: FileRecord, etag: string): Headers {
  return new Headers({
    "Content-Type": file.type,
    "Content-Length": String(file.size),
    "X-Content-Type-Options": "nosniff",
    // Even opened on its own, a file runs no script, loads nothing and posts no form.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    // A file never changes under its id: browsers keep it, shared caches do not (a deleted message's
    // files must stop being served at once).
    "Cache-Control": "private, max-age=31536000, immutable",
    ETag: etag,
    "Accept-Ranges": "bytes",
    "Cross-Origin-Resource-Policy": "same-origin",
  });
}

/** `inline` for raster images, `attachment` otherwise, with the name in both spellings browsers read. */
export function contentDisposition(file: FileRecord): string {
  const disposition = INLINE_TYPES.has(file.type) ? "inline" : "attachment";
  // The quoted form is for old clients: ASCII only, no quotes or backslashes.
  const fallback = file.name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(file.name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
