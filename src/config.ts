/**
 * @module
 * The operator's limits from `[vars]`, read once into a typed config. Every var is optional here
 * so a missing or mistyped one falls back to its documented default instead of disabling a limit.
 */

/** Who may sign tokens, and what a token must say (docs/auth.md). */
interface AuthConfig {
  /** `AUTH_SECRET`: HS256 secrets, any of which signs a valid token (rotation). */
  secrets: string[];
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  maxTtlSeconds: number;
  /** `AUTH_REQUIRED=1`: every socket and every HTTP read of a room needs a token. */
  required: boolean;
}

export interface Config {
  maxHistory: number;
  historyMaxAgeMs: number;
  welcomeHistory: number;
  maxMessageChars: number;
  maxFrameBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  /** Room-wide: every member of every object the room spreads over. */
  maxMembers: number;
  /** Sockets one object holds before newcomers go to fan-out objects (fanout.ts). */
  shardMembers: number;
  maxShards: number;
  /** Room-wide message intake, so the sequencer never overloads (intake.ts). */
  ingressPerSecond: number;
  ingressBurst: number;
  /** Past this many members the welcome lists a sample and presence goes out as counts. */
  rosterLimit: number;
  /** Frames per second times the largest object's sockets past which a room coalesces (delivery.ts). */
  coalesceSendsPerSecond: number;
  statsIntervalMs: number;
  idleTimeoutMs: number;
  emptyRoomTtlMs: number;
  allowedOrigins: string[];
  /** App-signed tokens (tokens/verify.ts). */
  auth: AuthConfig;
  /** Origins whose pages may frame `/embed/*` (src/http/embed.ts); empty: embedding is off. */
  embedOrigins: string[];
}

type Vars = Record<string, unknown>;

function positive(vars: Vars, key: string, fallback: number): number {
  const value = Number(vars[key]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Reads the limits from the worker's env (its `[vars]` are strings). */
export function readConfig(env: object): Config {
  const vars = env as Vars;
  return {
    maxHistory: Math.floor(positive(vars, "MAX_HISTORY", 100_000)),
    historyMaxAgeMs: positive(vars, "HISTORY_MAX_AGE_SECONDS", 90 * 86400) * 1000,
    welcomeHistory: Math.floor(positive(vars, "WELCOME_HISTORY", 100)),
    maxMessageChars: Math.floor(positive(vars, "MAX_MESSAGE_CHARS", 2000)),
    maxFrameBytes: Math.floor(positive(vars, "MAX_FRAME_BYTES", 16384)),
    ratePerSecond: positive(vars, "RATE_PER_SECOND", 10),
    rateBurst: positive(vars, "RATE_BURST", 20),
    maxMembers: Math.floor(positive(vars, "MAX_MEMBERS", 100_000)),
    shardMembers: Math.floor(positive(vars, "SHARD_MEMBERS", 2000)),
    maxShards: Math.floor(positive(vars, "MAX_SHARDS", 50)),
    ingressPerSecond: positive(vars, "INGRESS_PER_SECOND", 1000),
    ingressBurst: positive(vars, "INGRESS_BURST", 2000),
    rosterLimit: Math.floor(positive(vars, "ROSTER_LIMIT", 200)),
    coalesceSendsPerSecond: positive(vars, "COALESCE_SENDS_PER_SECOND", 20_000),
    statsIntervalMs: positive(vars, "STATS_INTERVAL_SECONDS", 30) * 1000,
    idleTimeoutMs: positive(vars, "IDLE_TIMEOUT_SECONDS", 90) * 1000,
    emptyRoomTtlMs: positive(vars, "EMPTY_ROOM_TTL_SECONDS", 7 * 86400) * 1000,
    allowedOrigins: origins(vars.ALLOWED_ORIGINS),
    embedOrigins: origins(vars.EMBED_ORIGINS),
    auth: readAuth(vars),
  };
}

/** A var that is set and not blank. */
function text(vars: Vars, key: string): string | undefined {
  const value = String(vars[key] ?? "").trim();
  return value === "" ? undefined : value;
}

function readAuth(vars: Vars): AuthConfig {
  const auth: AuthConfig = {
    secrets: String(vars.AUTH_SECRET ?? "")
      .split(",")
      .map((secret) => secret.trim())
      .filter(Boolean),
    maxTtlSeconds: positive(vars, "AUTH_MAX_TTL_SECONDS", 86400),
    required: text(vars, "AUTH_REQUIRED") === "1",
  };
  const jwksUrl = text(vars, "AUTH_JWKS_URL");
  const issuer = text(vars, "AUTH_ISSUER");
  const audience = text(vars, "AUTH_AUDIENCE");
  if (jwksUrl !== undefined) auth.jwksUrl = jwksUrl;
  if (issuer !== undefined) auth.issuer = issuer;
  if (audience !== undefined) auth.audience = audience;
  return auth;
}

/** A comma-separated list of origins, blanks dropped. */
function origins(value: unknown): string[] {
  return String(value ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
}
