/**
 * @module
 * The room page: asks for a name, then wires the connection's events to the views, and the
 * composer's input and the messages' menus (message-actions.ts) to the connection.
 */
import { startComposer } from "./composer";
import type { ErrorCode } from "../protocol";
import { Connection, type ConnectionEvent } from "./connection";
import { byId } from "./dom";
import { t } from "./i18n";
import { LogView } from "./log-view";
import { messageMenu, react, type MessageActionsDeps } from "./message-actions";
import { mentions } from "./message-text";
import { displayName } from "./name-prompt";
import { MentionNotifier } from "./notifications";
import { PresenceView } from "./presence-view";
import { shareButton } from "./share";
import { StatusView } from "./status-view";
import { Unread } from "./unread";

export async function startRoom(): Promise<void> {
  const room = decodeURIComponent(location.pathname.split("/")[2] ?? "");
  const link = new URL(`/chat/${encodeURIComponent(room)}`, location.origin).href;
  byId("room-title", HTMLHeadingElement).textContent = room;
  shareButton(byId("copy-link", HTMLButtonElement), link);

  /** The reader's uid, from the welcome: who "you" is in the log. */
  let viewer: string | undefined;
  const unread = new Unread(t("room.title", { room }), (first) => log.showDivider(first));
  const notifier = new MentionNotifier(byId("notify", HTMLButtonElement), room);
  const presence = new PresenceView(byId("online", HTMLUListElement), byId("online-count", HTMLSpanElement), byId("typing", HTMLParagraphElement));
  const retry = byId("retry", HTMLButtonElement);
  const status = new StatusView(byId("connection-state", HTMLSpanElement).parentElement!, byId("connection-state", HTMLSpanElement), byId("connection-detail", HTMLSpanElement), retry);
  const gapNotice = byId("gap-notice", HTMLParagraphElement);
  const roomStats = byId("room-stats", HTMLParagraphElement);

  const name = await displayName();
  const onEvent = (event: ConnectionEvent): void => {
    switch (event.type) {
      case "state":
        if (event.state.kind === "live") unread.start();
        return status.show(event.state);
      case "welcome":
        viewer = event.you.uid;
        if (event.gap) gapNotice.hidden = false;
        return presence.reset(event.members, event.you, event.online);
      case "message": {
        presence.stopTyping(event.message.from.id);
        const mention = !event.own && mentions(event.message.text, name);
        const item = log.add(event.message, event.own, mention);
        if (event.own) return;
        unread.arrived(item);
        if (mention) notifier.notify(event.message.from.name, event.message.text);
        return;
      }
      case "ack":
        return log.confirm(event.nonce, event.message, event.shown);
      case "update":
        return log.update(event.message);
      case "failed":
        return log.fail(event.nonce, t(`error.${event.code}`));
      case "join":
        return presence.join(event.members ?? [event.member]);
      case "leave":
        return presence.leave(event.members ?? [event.member]);
      case "presence":
        return presence.count(event.online);
      case "typing":
        return presence.typing(event.from);
      case "stats":
        presence.count(event.online);
        roomStats.textContent = t("room.stats", { count: event.messagesLastMinute });
        return;
      case "notice":
        // A full room already shows through the connection state; anything else is the composer's.
        if (event.error.code !== "room_full") composer.showError(notSent(event.error.code));
        return;
    }
  };
  const connection = new Connection({ roomUrl: link, name, onEvent, isOnline: () => navigator.onLine });
  window.addEventListener("online", () => connection.networkChanged(true));
  window.addEventListener("offline", () => connection.networkChanged(false));
  retry.addEventListener("click", () => connection.retryNow());
  const composer = startComposer({
    room,
    submit: (text, replyTo) => {
      const result = connection.send(text, replyTo?.id);
      if (!result.ok) return notSent(result.code);
      log.addPending(result.message.nonce, name, result.message.text, replyTo?.id);
      return undefined;
    },
    typing: () => connection.typing(),
    maxChars: () => connection.maxMessageChars,
  });
  const actions: MessageActionsDeps = { connection, composer, viewer: () => viewer };
  // Created last, but before the connection starts: no event reaches it earlier.
  const log = new LogView(byId("log", HTMLDivElement), byId("messages", HTMLOListElement), byId("new-messages", HTMLButtonElement), {
    viewer: () => viewer,
    menu: (message, item) => messageMenu(actions, message, item),
    react: (id, emoji) => react(actions, id, emoji),
    notLoaded: () => composer.showError(t("reply.notLoaded")),
  });
  connection.start();
}

/** A refusal in the reader's language, by its code: the server's `message` is English for developers. */
function notSent(code: ErrorCode): string {
  return t("composer.notSent", { reason: t(`error.${code}`) });
}
