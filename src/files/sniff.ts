/**
 * @module
 * What a file is, decided from its bytes alone: a client's `Content-Type` and file name are
 * claims anyone can forge (an HTML page named `cat.png`). Only the types below are recognised, and
 * an operator may narrow them further (`FILE_TYPES`); anything else is refused. Images also yield
 * their size in pixels, so the page can reserve their box before they load.
 */

export interface Sniffed {
  type: string;
  width?: number;
  height?: number;
}

/** Every type the sniffer can recognise; the default allowlist. */
export const KNOWN_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"] as const;

/** Raster images, the only types ever shown inline: they cannot carry script. */
export const INLINE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

const TEXT_TYPE = "text/plain; charset=utf-8";

/** The file's type by its first bytes, or undefined when it is none of `allowed`. */
export function sniff(bytes: Uint8Array, allowed: ReadonlySet<string>): Sniffed | undefined {
  const found = image(bytes) ?? (startsWith(bytes, PDF) ? { type: "application/pdf" } : undefined) ?? text(bytes);
  if (!found) return undefined;
  return allowed.has(found.type.split(";")[0]!) ? found : undefined;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const GIF87 = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61];
const GIF89 = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return bytes.length >= at + magic.length && magic.every((byte, i) => bytes[at + i] === byte);
}

function image(bytes: Uint8Array): Sniffed | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG)) return bytes.length >= 24 ? sized("image/png", view.getUint32(16), view.getUint32(20)) : undefined;
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89))
    return bytes.length >= 10 ? sized("image/gif", view.getUint16(6, true), view.getUint16(8, true)) : undefined;
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return webp(bytes, view);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes, view);
  return undefined;
}

/** An image whose header names no area is not one a browser can show. */
function sized(type: string, width: number, height: number): Sniffed | undefined {
  return width > 0 && height > 0 ? { type, width, height } : undefined;
}

/** The three WebP encodings keep their canvas size in different places. */
function webp(bytes: Uint8Array, view: DataView): Sniffed | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === "VP8X") return sized("image/webp", 1 + (view.getUint32(24, true) & 0xffffff), 1 + (view.getUint32(27, true) & 0xffffff));
  if (chunk === "VP8L" && bytes[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    return sized("image/webp", 1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
  }
  if (chunk === "VP8 " && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return sized("image/webp", view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  }
  return undefined;
}

/** Walks the JPEG's segments to its start-of-frame, which may come after large EXIF data. */
function jpeg(bytes: Uint8Array, view: DataView): Sniffed | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized("image/jpeg", view.getUint16(at + 7), view.getUint16(at + 5));
    }
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

// Controls other than tab, newline, form feed and carriage return mark a binary file.
const BINARY = /[\x00-\x08\x0b\x0e-\x1f\x7f]/;

/** UTF-8 text throughout (a byte-order mark allowed), with no control characters a text file lacks. */
function text(bytes: Uint8Array): Sniffed | undefined {
  try {
    const decoded = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return BINARY.test(decoded) ? undefined : { type: TEXT_TYPE };
  } catch {
    return undefined;
  }
}
