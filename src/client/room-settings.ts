/**
 * @module
 * The room's settings panel, for the owner and moderators, in the page's modal `<dialog>`: the
 * topic, slow mode and the lock. It opens with the room's current settings and sends only what the
 * reader changed, so two moderators editing different fields at once do not undo each other. It
 * closes once the room has taken the change; a refusal stays in it.
 */

import type { Connection } from "../../packages/client/src/connection";
import type { RoomSettings } from "../wire/moderation-frames";
import { byId } from "./dom";
import { formatDuration, t } from "./i18n/index";
import { notChanged } from "./message-actions";
import type { CurrentRoom } from "./room-state";

/** The slow-mode intervals offered, in seconds (0: off); a room set otherwise (by the API) keeps its own. */
const SLOW_SECONDS = [0, 5, 10, 30, 60, 300, 900, 3600];

export interface SettingsDeps {
  room: CurrentRoom;
  connection: Pick<Connection, "moderate">;
}

/** Wires the settings dialog; returns what opens it. */
export function settingsPanel(deps: SettingsDeps): () => void {
  const dialog = byId("settings-dialog", HTMLDialogElement);
  const form = byId("settings-form", HTMLFormElement);
  const topic = byId("settings-topic", HTMLInputElement);
  const slow = byId("settings-slow", HTMLSelectElement);
  const locked = byId("settings-locked", HTMLInputElement);
  const error = byId("settings-error", HTMLParagraphElement);
  const save = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  byId("settings-cancel", HTMLButtonElement).addEventListener("click", () => dialog.close());

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = changed(deps.room.state, { topic: topic.value.trim(), slowSeconds: Number(slow.value), locked: locked.checked });
    if (Object.keys(changes).length === 0) return dialog.close();
    save.disabled = true;
    const outcome = await deps.connection.moderate({ type: "settings", ...changes });
    save.disabled = false;
    if (outcome.ok) return dialog.close();
    error.textContent = notChanged(outcome.code);
    error.hidden = false;
  });

  return () => {
    const { state } = deps.room;
    topic.value = state.topic;
    slow.replaceChildren(...slowOptions(state.slowSeconds));
    slow.value = String(state.slowSeconds);
    locked.checked = state.locked;
    error.hidden = true;
    dialog.showModal();
  };
}

function slowOptions(current: number): HTMLOptionElement[] {
  const choices = SLOW_SECONDS.includes(current) ? SLOW_SECONDS : [...SLOW_SECONDS, current].sort((a, b) => a - b);
  return choices.map((seconds) => new Option(seconds === 0 ? t("settings.slowOff") : formatDuration(seconds), String(seconds)));
}

/** The fields of `wanted` that differ from `now`. */
function changed(now: RoomSettings, wanted: RoomSettings): Partial<RoomSettings> {
  const changes: Partial<RoomSettings> = {};
  if (wanted.topic !== now.topic) changes.topic = wanted.topic;
  if (wanted.slowSeconds !== now.slowSeconds) changes.slowSeconds = wanted.slowSeconds;
  if (wanted.locked !== now.locked) changes.locked = wanted.locked;
  return changes;
}
