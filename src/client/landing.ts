/**
 * @module
 * The landing page: open a room by name (or pasted link), or create one with a random name, which
 * its creator then owns: the room page claims it (see `takeNewRoomMark`).
 */
import { isRoomName } from "../wire/names";
import { byId } from "./dom";
import { t } from "./i18n/index";

/**
 * 16 random bytes in base64url: 128 bits, so nobody finds the room by guessing. The alphabet
 * (letters, digits, `-`, `_`) and the 22-character length always satisfy `isRoomName`.
 */
function newRoomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The fragment that tells the room page its reader just created the room. */
const NEW_ROOM = "#new";

/**
 * True when the landing page has just created this room: its page then claims it on its first
 * welcome. The mark leaves the address at once, so a reload, a bookmark or a copied link never
 * claims (and the room refuses a claim of a room with messages anyway).
 */
export function takeNewRoomMark(): boolean {
  if (location.hash !== NEW_ROOM) return false;
  history.replaceState(history.state, "", location.pathname + location.search);
  return true;
}

/** Accepts `lobby`, `/chat/lobby` or a full share link, since people paste whatever they were sent. */
function roomFromInput(input: string): string | undefined {
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
  const open = (room: string, mark = "") => location.assign(`/chat/${encodeURIComponent(room)}${mark}`);

  byId("create-room", HTMLButtonElement).addEventListener("click", () => open(newRoomName(), NEW_ROOM));
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
