/**
 * @module
 * The room page: asks for a name (unless an app's token names the person, app-token.ts), then wires the connection's events to the views, and the
 * composer's input, the messages' menus (message-actions.ts) and the moderators' controls
 * (people-actions.ts, room-settings.ts) to the connection.
 */

import { Connection, type ConnectionEvent } from "../../packages/client/src/connection";
import type { ActionOutcome } from "../../packages/client/src/pending-actions";
import { isTokenError } from "../../packages/client/src/token";
import type { ErrorCode, MessageFrame } from "../wire/protocol";
import { takeToken, tokenRefused } from "./app-token";
import { attachFiles } from "./attach";
import { BansView } from "./bans-view";
import { startComposer } from "./composer";
import { byId } from "./dom";
import { showInHistory } from "./history-jump";
import { t } from "./i18n/index";
import { takeNewRoomMark } from "./landing";
import { LogView } from "./log-view";
import { type MessageActionsDeps, messageMenu, notChanged, react } from "./message-actions";
import { mentions } from "./message-text";
import { type KnownNames, noticeText } from "./moderation-view";
import { displayName } from "./name-prompt";
import { MentionNotifier } from "./notifications";
import { Originals } from "./originals";
import { peopleExtras } from "./people-actions";
import { PresenceView } from "./presence-view";
import { guardReload } from "./reload-guard";
import { RemovalView } from "./removal-view";
import { RoomInfoView } from "./room-info-view";
import { RoomReads } from "./room-reads";
import { settingsPanel } from "./room-settings";
import { CurrentRoom } from "./room-state";
import { roomSearch, SearchView } from "./search-view";
import { shareButton } from "./share";
import { StatusView } from "./status-view";
import { Unread } from "./unread";

/** What an embedded room (embed/frame.ts) adds to the page; the page itself passes none. */
export interface RoomHooks {
  /** Sees every connection event, after the views drew it. */
  observe?: (event: ConnectionEvent, connection: Connection) => void;
  /** The app's token for each attempt, and for the page's HTTP reads. */
  token?: () => string | undefined;
  /** A fresh token after an HTTP read found the last one expired (the host is asked for one). */
  renewToken?: () => Promise<string | undefined>;
  /** Instead of the name prompt; `undefined`: the token names the person. */
  name?: () => Promise<string | undefined>;
  /** What the composer starts with, instead of the draft kept in storage. */
  draft?: string;
}

export async function startRoom(hooks: RoomHooks = {}): Promise<void> {
  const room = decodeURIComponent(location.pathname.split("/")[2] ?? "");
  const link = new URL(`/chat/${encodeURIComponent(room)}`, location.origin).href;
  // First of all, so the token leaves the address bar before anything else can read or share it.
  // An embedded room gets its token from the host instead (embed/frame.ts).
  const fragment = hooks.token === undefined ? takeToken(room) : undefined;
  const token = hooks.token ?? (fragment === undefined ? undefined : () => fragment);
  // A token from the address cannot be renewed here: the page says so, as when the socket's expires.
  const renew = hooks.renewToken ?? (async () => void tokenRefused(room, "token_expired"));
  const reads = new RoomReads(room, { current: () => token?.(), renew });
  /** The reader has just created the room on the landing page: claimed once the socket is first live. */
  let claiming = takeNewRoomMark();
  byId("room-title", HTMLHeadingElement).textContent = room;
  shareButton(byId("copy-link", HTMLButtonElement), link);

  /** The reader's uid, from the welcome: who "you" is in the log. */
  let viewer: string | undefined;
  /** A moderator removed the reader, or the room refused their token: nothing to write until they are back. */
  let removed = false;
  const current = new CurrentRoom();
  const info = new RoomInfoView();
  const unread = new Unread(t("room.title", { room }), (first) => log.showDivider(first));
  const notifier = new MentionNotifier(byId("notify", HTMLButtonElement), room);
  const retry = byId("retry", HTMLButtonElement);
  const status = new StatusView(
    byId("connection-state", HTMLSpanElement).parentElement!,
    byId("connection-state", HTMLSpanElement),
    byId("connection-detail", HTMLSpanElement),
    retry,
  );
  const gapNotice = byId("gap-notice", HTMLParagraphElement);
  const roomStats = byId("room-stats", HTMLParagraphElement);

  /** An app user's name is the token's: no prompt, the welcome says it. */
  const asked = await (hooks.name ?? (fragment === undefined ? displayName : async () => undefined))();
  /** As the room knows it: a token may name the person, and the room may shorten a name. */
  let name = asked ?? "";
  /** The room's state changed: everything drawn from it again. */
  const roomChanged = (): void => {
    info.show(current);
    bans.roomChanged();
    presence.redraw();
    composer.block(removed || !current.mayPost);
  };
  const onEvent = (event: ConnectionEvent): void => {
    draw(event);
    hooks.observe?.(event, connection);
  };
  const draw = (event: ConnectionEvent): void => {
    switch (event.type) {
      case "state":
        if (event.state.kind === "live") {
          unread.start();
          bans.live();
          if (claiming && current.state.owner === null) void connection.moderate({ type: "claim" }).then(report);
          claiming = false;
        }
        if (event.state.kind === "refused") tokenRefused(room, event.state.code);
        removed = event.state.kind === "removed" || event.state.kind === "refused";
        composer.block(removed || !current.mayPost);
        removal.show(event.state);
        return status.show(event.state);
      case "welcome":
        viewer = event.you.uid;
        name = event.you.name;
        current.set(event.room, viewer);
        if (event.gap) gapNotice.hidden = false;
        presence.reset(event.members, event.you, event.online);
        return roomChanged();
      case "message": {
        presence.stopTyping(event.message.from.id);
        const mention = !event.own && mentions(event.message.text, name, presence.names());
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
        if (event.retryAfter !== undefined && event.code === "slow_mode") composer.coolDown(event.retryAfter);
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
      case "room":
        current.set(event);
        return roomChanged();
      case "moderation":
        bans.heard(event);
        return log.addNotice(noticeText(event, names));
      case "notice":
        // A full room already shows through the connection state; a refused refresh of the app's
        // token is the app's business (the socket goes on with the token it has); anything else
        // is the composer's.
        if (event.error.code !== "room_full" && !isTokenError(event.error.code)) composer.showError(notSent(event.error.code));
        return;
    }
  };
  const connection = new Connection({ roomUrl: link, name: asked, token, onEvent, isOnline: () => navigator.onLine });
  // A removed reader's queue cannot go until they rejoin: it holds nothing back.
  guardReload(() => removed || connection.pending.length === 0);
  window.addEventListener("online", () => connection.networkChanged(true));
  window.addEventListener("offline", () => connection.networkChanged(false));
  retry.addEventListener("click", () => connection.retryNow());
  const composer = startComposer({
    room,
    draft: hooks.draft,
    submit: (text, replyTo) => {
      if (uploads.busy) {
        const wait = t("composer.notSent", { reason: t("files.stillUploading") });
        composer.showError(wait);
        return wait;
      }
      const result = connection.send(
        text,
        replyTo?.id,
        uploads.ready.map((file) => file.id),
      );
      if (!result.ok) return notSent(result.code);
      uploads.clear();
      log.addPending(result.message.nonce, name, result.message.text, replyTo?.id);
      if (current.slowSeconds > 0) composer.coolDown(current.slowSeconds);
      return undefined;
    },
    typing: () => connection.typing(),
    maxChars: () => connection.maxMessageChars,
  });
  const uploads = attachFiles(reads, composer.showError);
  const report = (outcome: ActionOutcome): void => {
    if (!outcome.ok) composer.showError(notChanged(outcome.code));
  };
  const presence = new PresenceView(
    byId("online", HTMLUListElement),
    byId("online-count", HTMLSpanElement),
    byId("typing", HTMLParagraphElement),
    peopleExtras({ room: current, connection, showError: composer.showError }),
  );
  const names: KnownNames = { person: (uid) => presence.nameOf(uid), author: (id) => log.message(id)?.from.name };
  const removal = new RemovalView(names, () => connection.retryNow());
  byId("room-settings", HTMLButtonElement).addEventListener("click", settingsPanel({ room: current, connection }));
  const bans = new BansView({ room: current, connection, names });
  byId("open-bans", HTMLButtonElement).addEventListener("click", () => bans.open());
  const actions: MessageActionsDeps = { connection, composer, viewer: () => viewer, room: current };
  // Created last, but before the connection starts: no event reaches it earlier.
  const log = new LogView(byId("log", HTMLDivElement), byId("messages", HTMLOListElement), byId("new-messages", HTMLButtonElement), {
    viewer: () => viewer,
    menu: (message, item) => messageMenu(actions, message, item),
    react: (id, emoji) => react(actions, id, emoji),
    notLoaded: () => composer.showError(t("reply.notLoaded")),
    originals: new Originals(reads),
    freshFiles: async (id) => (await reads.json<{ message: MessageFrame }>(`messages/${id}`)).message.files,
  });
  new SearchView({ find: roomSearch(connection, reads), show: (id) => showInHistory(reads, log, id) });
  connection.start();
}

/** A refusal in the reader's language, by its code: the server's `message` is English for developers. */
function notSent(code: ErrorCode): string {
  return t("composer.notSent", { reason: t(`error.${code}`) });
}
