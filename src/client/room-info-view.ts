/**
 * @module
 * What everyone sees of the room's state around the conversation: the topic under the room's
 * name, the reader's own role ("You own this room"), the lock notice above the composer (which
 * tells members they cannot write, and moderators that members cannot), and, for the owner and
 * moderators, the button of the settings panel.
 */
import { byId } from "./dom";
import { t } from "./i18n/index";
import type { CurrentRoom } from "./room-state";

export class RoomInfoView {
  private readonly topic = byId("room-topic", HTMLParagraphElement);
  private readonly role = byId("room-role", HTMLSpanElement);
  private readonly lock = byId("lock-notice", HTMLParagraphElement);
  private readonly settings = byId("room-settings", HTMLButtonElement);

  show(room: CurrentRoom): void {
    const { topic, locked } = room.state;
    this.topic.textContent = topic;
    this.topic.title = topic;
    this.topic.hidden = topic === "";
    const { role } = room;
    this.role.textContent = role === "member" ? "" : t(`room.${role}`);
    this.role.hidden = role === "member";
    const lock = locked ? t(room.moderates ? "room.lockedModerator" : "room.locked") : "";
    if (this.lock.textContent !== lock) this.lock.textContent = lock;
    this.lock.hidden = !locked;
    this.settings.hidden = !room.moderates;
  }
}
