/**
 * Files to upload in tests: real, decodable ones (the browser test shows the PNG and downloads the
 * PDF), and headers alone where only the sniffer reads them.
 */

/** A 40x30 red PNG. */
export const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR4nO3NMQ0AAAgDsMmZfxXIQgYcTfo3056IWCwWi8VisVgsFov/xguJMCDM2TzTeAAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

/** A one-page PDF, small but well formed. */
export const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** A GIF89a header of 7x5. */
export const GIF = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 7, 0, 5, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x3b]);

/** A JPEG whose frame header comes after an APP1 segment, as a camera's EXIF puts it: 640x480. */
export function jpeg(exifBytes = 300): Uint8Array {
  const app1 = [0xff, 0xe1, ((exifBytes + 2) >> 8) & 0xff, (exifBytes + 2) & 0xff, ...new Array<number>(exifBytes).fill(0x45)];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, ...app1, ...sof0, 0xff, 0xd9]);
}

/** WebP headers of each encoding, each of 300x200. */
export function webp(kind: "VP8 " | "VP8L" | "VP8X"): Uint8Array {
  const bytes = new Uint8Array(40);
  bytes.set(new TextEncoder().encode("RIFF"), 0);
  bytes.set(new TextEncoder().encode("WEBP"), 8);
  bytes.set(new TextEncoder().encode(kind), 12);
  const view = new DataView(bytes.buffer);
  if (kind === "VP8X") {
    view.setUint32(24, 299, true);
    view.setUint32(27, 199, true);
  } else if (kind === "VP8L") {
    bytes[20] = 0x2f;
    view.setUint32(21, 299 | (199 << 14), true);
  } else {
    bytes.set([0x9d, 0x01, 0x2a], 23);
    view.setUint16(26, 300, true);
    view.setUint16(28, 200, true);
  }
  return bytes;
}

export const HTML = new TextEncoder().encode("<!doctype html><script>alert(document.cookie)</script>");
export const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
