/**
 * @module
 * The files a message carries: images inline as thumbnails in a box of their recorded aspect
 * ratio (so nothing below moves when they load), loaded lazily, each opening full size in a
 * dialog; any other file as a chip with its name, type and size that downloads it. The server
 * serves only raster images inline (src/files/serve.ts), so nothing else is ever drawn as one.
 */
import type { FileRef } from "../wire/protocol";
import { byId, el } from "./dom";
import { formatBytes, t } from "./i18n/index";

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** The list of a message's files. */
export function filesList(files: FileRef[]): HTMLUListElement {
  return el(
    "ul",
    { className: "files" },
    ...files.map((file) => el("li", {}, IMAGE_TYPES.has(file.type) && file.width && file.height ? thumbnail(file) : chip(file))),
  );
}

function thumbnail(file: FileRef): HTMLButtonElement {
  const image = el("img", {
    attrs: { src: file.url, alt: file.name, loading: "lazy", decoding: "async", width: String(file.width), height: String(file.height) },
  });
  const button = el("button", { className: "file-image", attrs: { type: "button", "aria-label": t("files.open", { name: file.name }) } }, image);
  button.addEventListener("click", () => openImage(file, button));
  return button;
}

function chip(file: FileRef): HTMLAnchorElement {
  const kind = file.type.split(";")[0]!.split("/")[1]!.toUpperCase();
  return el(
    "a",
    { className: "file-chip", attrs: { href: file.url, download: file.name, title: t("files.download", { name: file.name }) } },
    el("span", { className: "file-name", text: file.name }),
    el("span", { className: "file-meta", text: `${kind} · ${formatBytes(file.size)}` }),
  );
}

/** The full-size image in the page's dialog; Escape or Close shuts it and focus goes back to the thumbnail. */
function openImage(file: FileRef, opener: HTMLElement): void {
  const dialog = byId("image-dialog", HTMLDialogElement);
  const image = byId("image-full", HTMLImageElement);
  image.src = file.url;
  image.alt = file.name;
  image.width = file.width ?? 0;
  image.height = file.height ?? 0;
  byId("image-caption", HTMLElement).textContent = file.name;
  dialog.addEventListener("close", () => opener.focus(), { once: true });
  dialog.showModal();
}
