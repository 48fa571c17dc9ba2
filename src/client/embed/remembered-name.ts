/**
 * @module
 * The display name inside a frame. A browser that blocks third-party cookies usually denies a
 * third-party frame its localStorage as well, where the page keeps the name (name-prompt.ts); a
 * partitioned cookie is still allowed, kept per embedding site like the identity cookie, so the
 * person is not asked again on every visit.
 */
import { checkDisplayName } from "../../wire/names";
import { displayName } from "../name-prompt";

const COOKIE = "__Host-edge_chat_name";
const MAX_AGE_SECONDS = 400 * 86400;

function fromCookie(): string | undefined {
  const entry = document.cookie.split("; ").find((part) => part.startsWith(`${COOKIE}=`));
  if (entry === undefined) return undefined;
  let value: string;
  try {
    value = decodeURIComponent(entry.slice(COOKIE.length + 1));
  } catch {
    return undefined;
  }
  const checked = checkDisplayName(value);
  return checked.ok ? checked.name : undefined;
}

/** The name remembered for this site, else the one the person types in the join dialog. */
export async function embeddedName(): Promise<string> {
  const name = fromCookie() ?? (await displayName());
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser that embeds, and the value is escaped above.
  document.cookie = `${COOKIE}=${encodeURIComponent(name)}; Path=/; Max-Age=${MAX_AGE_SECONDS}; Secure; SameSite=None; Partitioned`;
  return name;
}
