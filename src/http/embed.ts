/**
 * @module
 * Embedded rooms (docs/operations.md, "Embedding"): `/embed/<room>` serves the room page in its
 * compact form to the sites in `EMBED_ORIGINS` only, with a partitioned identity cookie, and the
 * worker takes that cookie on a socket only when it comes from the frame itself.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { readConfig } from "../config";
import { EMBED_COOKIE_NAME, embedIdentityCookie, isSecret, newSecret } from "../identity/identity";
import { type AppEnv, roomParam } from "./errors";

export const embed = new Hono<AppEnv>();

/**
 * Wraps the secure headers of every `/embed/*` answer: with embedding on, only the listed origins
 * may frame it. `X-Frame-Options` has no allow-list (ALLOW-FROM is dead), so it goes; every other
 * path keeps `frame-ancestors 'none'` and `DENY`. Registered ahead of the secure headers, it runs
 * after them on the way out.
 */
export const embedFraming: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const origins = readConfig(c.env).embedOrigins;
  const policy = c.res.headers.get("Content-Security-Policy");
  if (origins.length === 0 || policy === null) return;
  c.res.headers.set("Content-Security-Policy", policy.replace(/frame-ancestors [^;]*/, `frame-ancestors ${origins.join(" ")}`));
  c.res.headers.delete("X-Frame-Options");
};

embed.get("/:room", roomParam, async (c) => {
  // The same document as /chat/<room>, marked: the page script and stylesheet draw the compact view.
  const asset = await c.env.ASSETS.fetch(new URL("/room", c.req.url));
  // Marked before the first paint, so the page's own chrome never flashes inside a host's page;
  // and with the frame's own script (src/client/embed/main.ts) instead of the page's.
  const marked = new HTMLRewriter()
    .on("html", { element: (html) => void html.setAttribute("class", "embedded") })
    .on('script[src="/app.js"]', { element: (script) => void script.setAttribute("src", "/embed-frame.js") })
    .transform(asset);
  const response = new Response(marked.body, asset);
  if (readConfig(c.env).embedOrigins.length > 0) {
    const secret = getCookie(c, EMBED_COOKIE_NAME, "host");
    response.headers.append("Set-Cookie", embedIdentityCookie(secret !== undefined && isSecret(secret) ? secret : newSecret()));
  }
  response.headers.set("Cache-Control", "private, no-cache");
  return response;
});

/**
 * The embedded person's secret for a socket, if this one may use it: embedding is on, and the
 * socket comes from this origin, which on another site only the frame is. A SameSite=None cookie
 * rides cross-site requests too, so without the check any page could speak as the person.
 */
export function embeddedSecret(c: Context<AppEnv>, self: string): string | undefined {
  if (c.req.header("Origin") !== self || readConfig(c.env).embedOrigins.length === 0) return undefined;
  return getCookie(c, EMBED_COOKIE_NAME, "host");
}
