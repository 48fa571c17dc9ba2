/**
 * @module
 * Files on their way into the next message: each picked, pasted or dropped file uploads at once
 * (`POST /api/rooms/<room>/files`; the page's token says who, else its cookie) with its own progress bar and
 * Cancel button, so the message goes out as soon as the reader presses Send. XMLHttpRequest rather
 * than fetch: only it reports upload progress in every browser.
 */
import { ERROR_CODES, type ErrorCode, type FileRef, MAX_MESSAGE_FILES } from "../wire/protocol";
import { el } from "./dom";
import { t } from "./i18n/index";
import { errorCode, type RoomReads } from "./room-reads";

interface Upload {
  row: HTMLLIElement;
  file?: FileRef;
  request?: XMLHttpRequest;
}

export class Uploads {
  private readonly uploads = new Set<Upload>();

  constructor(
    private readonly list: HTMLUListElement,
    private readonly reads: RoomReads,
    private readonly showError: (text: string) => void,
  ) {}

  /** Starts uploading each file, up to what one message may carry. */
  add(files: Iterable<File>): void {
    for (const file of files) {
      if (this.uploads.size >= MAX_MESSAGE_FILES) return this.showError(t("files.tooMany", { count: MAX_MESSAGE_FILES }));
      this.start(file);
    }
  }

  /** Still sending bytes: the message must wait for them. */
  get busy(): boolean {
    return [...this.uploads].some((upload) => upload.request !== undefined);
  }

  /** The uploaded files, in the order they were added. */
  get ready(): FileRef[] {
    return [...this.uploads].flatMap((upload) => (upload.file ? [upload.file] : []));
  }

  /** The message went out with them: the tray empties (failed rows too, their errors read). */
  clear(): void {
    for (const upload of this.uploads) upload.row.remove();
    this.uploads.clear();
    this.list.hidden = true;
  }

  private start(file: File): void {
    const progress = el("progress", { attrs: { max: "100", value: "0", "aria-label": t("files.uploading", { name: file.name }) } });
    const status = el("span", { className: "upload-status" });
    const cancel = el("button", { className: "ghost icon", text: "×", attrs: { type: "button", "aria-label": t("files.cancel", { name: file.name }) } });
    const row = el("li", { className: "upload" }, el("span", { className: "upload-name", text: file.name }), progress, status, cancel);
    const upload: Upload = { row };
    this.uploads.add(upload);
    this.list.append(row);
    this.list.hidden = false;
    cancel.addEventListener("click", () => {
      upload.request?.abort();
      this.uploads.delete(upload);
      row.remove();
      this.list.hidden = this.uploads.size === 0;
    });
    this.send(upload, file, true);
  }

  /** One attempt; `renew`: an expired token may be renewed once and the file sent again. */
  private send(upload: Upload, file: File, renew: boolean): void {
    const progress = upload.row.querySelector("progress")!;
    const status = upload.row.querySelector<HTMLSpanElement>(".upload-status")!;
    const request = new XMLHttpRequest();
    upload.request = request;
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", async () => {
      const body = parse(request.responseText);
      if (request.status === 201 && body?.file) {
        delete upload.request;
        upload.file = body.file;
        progress.value = 100;
        status.textContent = t("files.ready", { name: file.name });
        upload.row.querySelector("button")?.setAttribute("aria-label", t("files.remove", { name: file.name }));
        return;
      }
      // Still busy while a fresh token is on its way: the message must not go without this file.
      if (renew && (await this.reads.renewedAfter(request.status, errorCode(body)))) {
        if (this.uploads.has(upload)) this.send(upload, file, false);
        return;
      }
      delete upload.request;
      this.failed(upload, status, file.name, reasonOf(errorCode(body)));
    });
    request.addEventListener("error", () => {
      delete upload.request;
      this.failed(upload, status, file.name, t("files.network"));
    });
    this.reads.open(request, "POST", "files");
    const form = new FormData();
    form.set("file", file);
    request.send(form);
  }

  private failed(upload: Upload, status: HTMLSpanElement, name: string, reason: string): void {
    upload.row.classList.add("failed");
    upload.row.querySelector("progress")?.remove();
    status.textContent = t("files.failed", { name, reason });
    status.setAttribute("role", "alert");
  }
}

/** A refusal in the reader's words; an HTTP-only code (another origin, a bad key) has none of its own. */
function reasonOf(code: string | undefined): string {
  return code !== undefined && (ERROR_CODES as readonly string[]).includes(code) ? t(`error.${code as ErrorCode}`) : t("files.network");
}

function parse(text: string): { file?: FileRef } | undefined {
  try {
    return JSON.parse(text) as { file?: FileRef };
  } catch {
    return undefined;
  }
}
