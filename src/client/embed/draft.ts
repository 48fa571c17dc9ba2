/**
 * @module
 * The composer's draft across the frame's language reload (frame.ts). The page keeps its draft in
 * localStorage (composer.ts), which a frame on another site is usually denied; so the reload
 * carries it in the frame's own address, in the fragment (which no request sends), and the new
 * document takes it out of the address and the history at once.
 */
import { byId } from "../dom";

const KEY = "draft";

/** `url` with what the composer holds now in its fragment. */
export function withDraft(url: URL): URL {
  const draft = byId("message", HTMLTextAreaElement).value;
  url.hash = draft === "" ? "" : new URLSearchParams({ [KEY]: draft }).toString();
  return url;
}

/** The draft a reload brought, taken out of the address. */
export function carriedDraft(): string | undefined {
  const draft = new URLSearchParams(location.hash.slice(1)).get(KEY) ?? undefined;
  if (draft !== undefined) history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  return draft;
}
