/**
 * @module
 * The postMessage contract between an embedded room (the frame at `/embed/<room>`) and the page
 * around it (embed.js, or the host's own script): docs/protocol.md, *Embedding*. Every message is
 * `{"edgeChat": {"type": ...}}` so it never mistakes, or is mistaken for, another script's
 * messages. Both sides check the sender's origin and never post to `*`; these parsers check the
 * shape, since a listed origin may still send anything.
 */

/** The theme a host may set: five custom properties and a colour scheme, nothing else. */
export interface EmbedTheme {
  mode?: "light" | "dark" | "auto";
  accent?: string;
  background?: string;
  text?: string;
  radius?: string;
  font?: string;
}

export const THEME_PROPERTIES = ["accent", "background", "text", "radius", "font"] as const;
export type ThemeProperty = (typeof THEME_PROPERTIES)[number];
const MODES = ["light", "dark", "auto"];
/** Long enough for any colour, length or font stack a theme needs. */
const MAX_THEME_VALUE = 200;

/** The frame tells the host. */
export type FrameMessage =
  | { type: "ready" }
  | { type: "resize"; height: number }
  | { type: "unread"; count: number }
  | { type: "message"; id: number; from: { uid: string; name: string }; text: string; own: boolean }
  | { type: "error"; code: string };

/** The host tells the frame. */
export type HostMessage = { type: "auth"; token: string } | { type: "config"; theme?: EmbedTheme; language?: string };

export function envelope(message: FrameMessage | HostMessage): { edgeChat: FrameMessage | HostMessage } {
  return { edgeChat: message };
}

function inner(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const message = (data as Record<string, unknown>).edgeChat;
  return typeof message === "object" && message !== null && typeof (message as Record<string, unknown>).type === "string"
    ? (message as Record<string, unknown>)
    : undefined;
}

const isText = (value: unknown, max: number): value is string => typeof value === "string" && value.length > 0 && value.length <= max;
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

/** A theme's known, well-formed fields; anything else is dropped. */
export function parseTheme(value: unknown): EmbedTheme {
  if (typeof value !== "object" || value === null) return {};
  const given = value as Record<string, unknown>;
  const theme: EmbedTheme = {};
  if (typeof given.mode === "string" && MODES.includes(given.mode)) theme.mode = given.mode as EmbedTheme["mode"];
  for (const key of THEME_PROPERTIES) {
    const property = given[key];
    if (isText(property, MAX_THEME_VALUE)) theme[key] = property;
  }
  return theme;
}

/** What a host posted, if it is a host message of a known type and shape. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const message = inner(data);
  if (message?.type === "auth") return isText(message.token, 8192) ? { type: "auth", token: message.token } : undefined;
  if (message?.type !== "config") return undefined;
  const config: HostMessage = { type: "config" };
  if (message.theme !== undefined) config.theme = parseTheme(message.theme);
  if (isText(message.language, 35)) config.language = message.language;
  return config;
}

/** What the frame posted, if it is a frame message of a known type and shape. */
export function parseFrameMessage(data: unknown): FrameMessage | undefined {
  const message = inner(data);
  switch (message?.type) {
    case "ready":
      return { type: "ready" };
    case "resize":
      return isCount(message.height) ? { type: "resize", height: message.height } : undefined;
    case "unread":
      return isCount(message.count) ? { type: "unread", count: message.count } : undefined;
    case "error":
      return isText(message.code, 64) ? { type: "error", code: message.code } : undefined;
    case "message": {
      const { id, from, text, own } = message;
      const author = typeof from === "object" && from !== null ? (from as Record<string, unknown>) : {};
      if (!isCount(id) || typeof text !== "string" || typeof author.uid !== "string" || typeof author.name !== "string") return undefined;
      return { type: "message", id, from: { uid: author.uid, name: author.name }, text, own: own === true };
    }
    default:
      return undefined;
  }
}
