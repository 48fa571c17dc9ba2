// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
interface Env {
  /** Bearer token for `POST /api/rooms/:room/messages`; push is off while it is unset. */
  PUSH_TOKEN?: string;
  /** Bearer token for the moderation and audit API; both are off while it is unset. */
  MODERATION_TOKEN?: string;
}
