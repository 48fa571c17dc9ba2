/**
 * @module
 * The embedded room at `/embed/<room>`: the room page itself (room-page.ts) in its compact form
 * (the stylesheet's `.embedded`), themed by the host, speaking to it over postMessage
 * (host-link.ts), and signed in by the host's token when the host says one is coming.
 */
import type { HostMessage } from "../../wire/embed-messages";
import { isLanguage } from "../i18n/catalog";
import { reloadWhenSafe } from "../reload-guard";
import { startRoom } from "../room-page";
import { watchContentHeight } from "./content-height";
import { carriedDraft, withDraft } from "./draft";
import { HostEvents } from "./host-events";
import { HostLink } from "./host-link";
import { HostToken } from "./host-token";
import { embeddedName } from "./remembered-name";
import { applyTheme, themeFromQuery } from "./theme";

/** How long an HTTP read waits for the host's fresh token before it reports the expiry. */
const RENEW_WAIT_MS = 10_000;

export function startEmbed(): void {
  const query = new URLSearchParams(location.search);
  applyTheme(themeFromQuery(query));
  const token = new HostToken();
  const link = HostLink.open(query.get("host"), (message) => (message.type === "auth" ? token.take(message.token) : configure(message)));
  const events = link && new HostEvents((message) => link.post(message));
  void startRoom({
    token: () => token.current,
    // The host renews a token after the frame says the last one expired (embed.js), as for the socket.
    renewToken: link
      ? () => {
          const fresh = token.next(RENEW_WAIT_MS);
          link.post({ type: "error", code: "token_expired" });
          return fresh;
        }
      : undefined,
    // A token names the person; without a host to send one, the frame asks like the page does.
    name: link && query.get("auth") === "token" ? () => token.first.then(() => undefined) : embeddedName,
    draft: carriedDraft(),
    observe: (event, connection) => {
      token.follow(event, connection);
      events?.see(event);
    },
  });
  if (!link) return;
  watchContentHeight((height) => link.post({ type: "resize", height }));
  link.post({ type: "ready" });
}

function configure({ theme, language }: Extract<HostMessage, { type: "config" }>): void {
  if (theme) applyTheme(theme);
  // Only a language the page speaks: any other would reload into the same one, again and again.
  if (language === undefined || !isLanguage(language) || language === document.documentElement.lang) return;
  // Every string is drawn once, in one language (i18n/index.ts): another one is a reload, after
  // which the frame says `ready` again and the host sends its token again. Like the page's own
  // switch it waits for the outbox; the draft comes along in the address, as a frame on another
  // site has no storage to keep it in.
  reloadWhenSafe(
    () => undefined,
    () => {
      const url = withDraft(new URL(location.href));
      url.searchParams.set("lang", language);
      location.replace(url);
    },
  );
}
