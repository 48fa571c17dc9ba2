/**
 * @module
 * The files a message carries: images inline as thumbnails in a box of their recorded aspect
 * ratio (so nothing below moves when they load), loaded lazily, each opening full size in a
 * dialog; any other file as a chip with its name, type and size that downloads it. The server
 * serves only raster images inline (src/files/serve.ts), so nothing else is ever drawn as one.
 *
 * Where the room admits only token holders, a file's URL is signed and lives an hour or two
 * (docs/protocol.md, *Files*): a page open longer asks the room for the message again (`fresh`)
 * when an image fails to load or a link is followed after its URL's `exp`, and uses its new URLs.
 */
import type { FileRef } from "../wire/protocol";
import { byId, el } from "./dom";
import { formatBytes, t } from "./i18n/index";

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** Tries of one image with a fresh URL: a URL that keeps failing is not the expiry's doing. */
const RENEWALS = 3;

/** The message's files as the room sends them now (a fresh copy of the message), if it still has them. */
export type FreshFiles = () => Promise<FileRef[] | undefined>;

/** When a signed URL stops opening its file (ms), or `undefined` for an unsigned one. */
function expiresAt(url: string): number | undefined {
  const exp = new URL(url, location.href).searchParams.get("exp");
  return exp === null ? undefined : Number(exp) * 1000;
}

/** A file's URL, renewed from the message's fresh copy once it has expired. */
class FileLink {
  private renewals = 0;

  constructor(
    public url: string,
    private readonly id: string,
    private readonly fresh: FreshFiles,
  ) {}

  get expired(): boolean {
    const at = expiresAt(this.url);
    return at !== undefined && at <= Date.now();
  }

  /** A fresh URL, when this one has expired and the room has one. */
  async renew(): Promise<string | undefined> {
    if (!this.expired || this.renewals >= RENEWALS) return undefined;
    this.renewals += 1;
    const url = (await this.fresh().catch(() => undefined))?.find((file) => file.id === this.id)?.url;
    if (url === undefined || url === this.url) return undefined;
    this.url = url;
    return url;
  }
}

/** The list of a message's files; `fresh` gets the message's files again, for URLs that expired. */
export function filesList(files: FileRef[], fresh: FreshFiles): HTMLUListElement {
  return el(
    "ul",
    { className: "files" },
    ...files.map((file) => {
      const link = new FileLink(file.url, file.id, fresh);
      return el("li", {}, IMAGE_TYPES.has(file.type) && file.width && file.height ? thumbnail(file, link) : chip(file, link));
    }),
  );
}

function thumbnail(file: FileRef, link: FileLink): HTMLButtonElement {
  const image = el("img", {
    attrs: { src: link.url, alt: file.name, loading: "lazy", decoding: "async", width: String(file.width), height: String(file.height) },
  });
  image.addEventListener("error", async () => {
    const url = await link.renew();
    if (url !== undefined) image.src = url;
  });
  const button = el("button", { className: "file-image", attrs: { type: "button", "aria-label": t("files.open", { name: file.name }) } }, image);
  button.addEventListener("click", () => openImage(file, link, button));
  return button;
}

function chip(file: FileRef, link: FileLink): HTMLAnchorElement {
  const kind = file.type.split(";")[0]!.split("/")[1]!.toUpperCase();
  const anchor = el(
    "a",
    { className: "file-chip", attrs: { href: link.url, download: file.name, title: t("files.download", { name: file.name }) } },
    el("span", { className: "file-name", text: file.name }),
    el("span", { className: "file-meta", text: `${kind} · ${formatBytes(file.size)}` }),
  );
  anchor.addEventListener("click", async (event) => {
    if (!link.expired) return;
    // The download would be refused: follow the fresh URL instead, once it is here.
    event.preventDefault();
    const url = await link.renew();
    if (url === undefined) return;
    anchor.href = url;
    anchor.click();
  });
  return anchor;
}

/** The full-size image in the page's dialog; Escape or Close shuts it and focus goes back to the thumbnail. */
function openImage(file: FileRef, link: FileLink, opener: HTMLElement): void {
  const dialog = byId("image-dialog", HTMLDialogElement);
  const image = byId("image-full", HTMLImageElement);
  image.src = link.url;
  image.alt = file.name;
  image.width = file.width ?? 0;
  image.height = file.height ?? 0;
  byId("image-caption", HTMLElement).textContent = file.name;
  dialog.addEventListener("close", () => opener.focus(), { once: true });
  dialog.showModal();
}
