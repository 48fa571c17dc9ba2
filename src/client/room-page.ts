/**
 * @module
 * The room page: asks for a name, then wires the connection's events to the views and the
 * composer's input to the connection.
 */
import { Connection, type ConnectionEvent } from "./connection";
import { byId } from "./dom";
import { LogView } from "./log-view";
import { displayName } from "./name-prompt";
import { PresenceView } from "./presence-view";
import { shareButton } from "./share";
import { StatusView } from "./status-view";

export async function startRoom(): Promise<void> {
  const room = decodeURIComponent(location.pathname.split("/")[2] ?? "");
  const link = new URL(`/chat/${encodeURIComponent(room)}`, location.origin).href;
  byId("room-title", HTMLHeadingElement).textContent = room;
  document.title = `${room} · Edge Chat`;
  shareButton(byId("copy-link", HTMLButtonElement), link);

  const log = new LogView(byId("log", HTMLOListElement), byId("new-messages", HTMLButtonElement));
  const presence = new PresenceView(byId("online", HTMLUListElement), byId("online-count", HTMLSpanElement), byId("typing", HTMLParagraphElement));
  const retry = byId("retry", HTMLButtonElement);
  const status = new StatusView(byId("connection-state", HTMLSpanElement).parentElement!, byId("connection-state", HTMLSpanElement), byId("connection-detail", HTMLSpanElement), retry);
  const gapNotice = byId("gap-notice", HTMLParagraphElement);
  const roomStats = byId("room-stats", HTMLParagraphElement);

  const name = await displayName();
  const onEvent = (event: ConnectionEvent): void => {
    switch (event.type) {
      case "state":
        return status.show(event.state);
      case "welcome":
        if (event.gap) gapNotice.hidden = false;
        return presence.reset(event.members, event.you);
      case "message":
        presence.stopTyping(event.message.from.id);
        return log.add(event.message, event.own);
      case "ack":
        return log.confirm(event.nonce, event.message, event.shown);
      case "failed":
        return log.fail(event.nonce, event.reason);
      case "join":
        return presence.join(event.members ?? [event.member]);
      case "leave":
        return presence.leave(event.members ?? [event.member]);
      case "typing":
        return presence.typing(event.from);
      case "stats":
        roomStats.textContent = `${event.messagesLastMinute} message${event.messagesLastMinute === 1 ? "" : "s"} in the last minute`;
        return;
      case "notice":
        // Notices (like "room is full") already show through the connection state.
        return;
    }
  };
  const connection = new Connection({ roomUrl: link, name, onEvent, isOnline: () => navigator.onLine });
  window.addEventListener("online", () => connection.networkChanged(true));
  window.addEventListener("offline", () => connection.networkChanged(false));
  retry.addEventListener("click", () => connection.retryNow());
  composer(connection, log, name);
  connection.start();
}

function composer(connection: Connection, log: LogView, name: string): void {
  const form = byId("composer", HTMLFormElement);
  const input = byId("message", HTMLInputElement);
  const send = byId("send", HTMLButtonElement);
  const error = byId("composer-error", HTMLParagraphElement);
  // Enabled even while offline: what is typed then waits in the outbox.
  input.disabled = send.disabled = false;
  input.focus();
  input.addEventListener("input", () => {
    error.hidden = true;
    if (input.value.trim() !== "") connection.typing();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const result = connection.send(input.value);
    if (result.ok) {
      log.addPending(result.message.nonce, name, result.message.text);
      input.value = "";
    } else if (input.value.trim() !== "") {
      error.textContent = `Not sent: ${result.reason}.`;
      error.hidden = false;
    }
    input.focus();
  });
}
