/**
 * @module
 * The ways a file gets into the next message: the attach button (several files at once), pasting
 * an image into the message box, and dropping files on the timeline or the composer.
 */
import { byId } from "./dom";
import type { RoomReads } from "./room-reads";
import { Uploads } from "./uploads";

export function attachFiles(reads: RoomReads, showError: (text: string) => void): Uploads {
  const uploads = new Uploads(byId("uploads", HTMLUListElement), reads, showError);
  const picker = byId("attach-input", HTMLInputElement);
  byId("attach", HTMLButtonElement).addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    uploads.add(picker.files ?? []);
    // The same file picked again is a new upload.
    picker.value = "";
  });
  byId("message", HTMLTextAreaElement).addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    uploads.add(files);
  });
  for (const zone of [byId("log", HTMLDivElement), byId("composer", HTMLFormElement)]) dropZone(zone, (files) => uploads.add(files));
  return uploads;
}

function dropZone(zone: HTMLElement, drop: (files: File[]) => void): void {
  const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes("Files") ?? false;
  zone.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    zone.classList.add("drop-target");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("drop-target"));
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("drop-target");
    if (!carriesFiles(event)) return;
    event.preventDefault();
    drop([...(event.dataTransfer?.files ?? [])]);
  });
}
