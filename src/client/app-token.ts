/**
 * @module
 * The app's token for this page, when an app sent its user here with `/chat/<room>#token=<JWT>`.
 * A fragment never reaches a server in a request line, a proxy's log or a Referer; the page takes
 * it out of the address bar and history at once, so a copied or bookmarked address does not carry
 * it either, and keeps it for this tab only (a reload stays signed in, another tab or a shared
 * link does not). A refused token is dropped: it would only be refused again.
 */
import type { TokenError } from "../../packages/client/src/token";
import { byId } from "./dom";
import { t } from "./i18n/index";
import { load, save } from "./storage";

const FRAGMENT_KEY = "token";

function storageKey(room: string): string {
  return `edge-chat.token.${room}`;
}

/** The token from the fragment (which is removed from the address), else the one this tab kept for `room`. */
export function takeToken(room: string): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fresh = fragment.get(FRAGMENT_KEY) ?? undefined;
  if (fragment.has(FRAGMENT_KEY)) {
    fragment.delete(FRAGMENT_KEY);
    const rest = fragment.toString();
    history.replaceState(history.state, "", `${location.pathname}${location.search}${rest === "" ? "" : `#${rest}`}`);
  }
  if (fresh !== undefined && fresh !== "") save(storageKey(room), fresh, "session");
  return fresh || load(storageKey(room), "session");
}

/** The room refused the token: forget it, and say why where the composer was until the app sends a new one. */
export function tokenRefused(room: string, code: TokenError): void {
  save(storageKey(room), undefined, "session");
  const notice = byId("token-notice", HTMLDivElement);
  byId("token-notice-text", HTMLParagraphElement).textContent = t("token.refused", { reason: t(`error.${code}`) });
  notice.hidden = false;
}
