/**
 * @module
 * The landing page: open a room by name (or pasted link), or create one with a random name.
 */
import { isRoomName } from "../names";
import { byId } from "./dom";
import { t } from "./i18n";

/**
 * 16 random bytes in base64url: 128 bits, so nobody finds the room by guessing. The alphabet
 * (letters, digits, `-`, `_`) and the 22-character length always satisfy `isRoomName`.
 */
export function newRoomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Accepts `lobby`, `/chat/lobby` or a full share link, since people paste whatever they were sent. */
export function roomFromInput(input: string): string | undefined {
  const trimmed = input.trim();
  const fromPath = /(?:^|\/)chat\/([^/?#]+)/.exec(trimmed)?.[1];
  const name = fromPath === undefined ? trimmed : safeDecode(fromPath);
  return name !== undefined && isRoomName(name) ? name : undefined;
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

export function startLanding(): void {
  const form = byId("join-room", HTMLFormElement);
  const input = byId("room-name", HTMLInputElement);
  const error = byId("room-error", HTMLParagraphElement);
  const open = (room: string) => location.assign(`/chat/${encodeURIComponent(room)}`);

  byId("create-room", HTMLButtonElement).addEventListener("click", () => open(newRoomName()));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const room = roomFromInput(input.value);
    if (room !== undefined) return open(room);
    error.textContent = t("landing.join.invalid");
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  });
  input.addEventListener("input", () => {
    error.hidden = true;
    input.removeAttribute("aria-invalid");
  });
}
