/**
 * @module
 * `npm run token -- --sub 42 --name Alice [--room 'team-*'] [--role 'team-7=moderator'] [--ttl 1h]`:
 * signs a token as an app's backend would (HS256, the first `AUTH_SECRET` of `.dev.vars`), to try
 * app users against `npm run dev` without writing that backend. Prints the token, then the room's
 * address with the token in its fragment (which a browser never sends to the server). docs/auth.md.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { checkDisplayName, isRoomName } from "../src/wire/names.ts";

const USAGE = `usage: npm run token -- --sub <id> [--name <display name>] [--room <room or prefix*>]...
       [--role <room or prefix*>=owner|moderator]... [--ttl 1h] [--open <room>] [--origin http://localhost:8787]
       [--dev-vars .dev.vars]`;

const SUB = /^[\x21-\x7e]{1,128}$/;
const ROLES = ["owner", "moderator"];
const TTL = /^(\d+)([smhd]?)$/;
const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };
const DEFAULT_MAX_TTL_SECONDS = 86400;

class UsageError extends Error {}

/** `KEY=value` lines as wrangler reads `.dev.vars` (dotenv): comments, blank lines and quotes allowed. */
function readDevVars(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`${path} not found: copy .dev.vars.example to .dev.vars and set AUTH_SECRET (a long random string)`);
  }
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    const [, key, raw] = match as unknown as [string, string, string];
    vars[key] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw.replace(/\s+#.*$/, "");
  }
  return vars;
}

function ttlSeconds(ttl: string, max: number): number {
  const match = TTL.exec(ttl);
  if (!match || Number(match[1]) === 0) throw new UsageError(`--ttl ${ttl}: give a duration such as 90s, 30m, 1h or 2d`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  if (seconds > max) throw new UsageError(`--ttl ${ttl} is longer than AUTH_MAX_TTL_SECONDS (${max} s): the room would refuse the token`);
  return seconds;
}

function pattern(value: string, flag: string): string {
  const name = value.endsWith("*") ? value.slice(0, -1) : value;
  if (name !== "" && !isRoomName(name)) throw new UsageError(`${flag} ${value}: not a room name, nor a room-name prefix ending in *`);
  return value;
}

function roles(values: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const granted: Record<string, string> = {};
  for (const value of values) {
    const [room = "", role = "", ...rest] = value.split("=");
    if (rest.length > 0 || !ROLES.includes(role)) throw new UsageError(`--role ${value}: write <room or prefix*>=owner or <room or prefix*>=moderator`);
    granted[pattern(room, "--role")] = role;
  }
  return granted;
}

/** `team-*` allows every room starting with `team-`, as the room reads it (src/tokens/claims.ts). */
function allows(rooms: string[], room: string): boolean {
  return rooms.length === 0 || rooms.some((p) => (p.endsWith("*") ? room.startsWith(p.slice(0, -1)) : p === room));
}

/** The room to open: `--open`, else the first room the token names exactly and may join, else one its first prefix allows. */
function roomToOpen(open: string | undefined, rooms: string[], granted: string[]): string {
  if (open !== undefined) {
    if (!isRoomName(open)) throw new UsageError(`--open ${open}: not a room name`);
    if (!allows(rooms, open)) throw new UsageError(`--open ${open}: the token's --room list does not include it`);
    return open;
  }
  const exact = [...rooms, ...granted].find((room) => !room.endsWith("*") && allows(rooms, room));
  if (exact !== undefined) return exact;
  const prefix = rooms[0]?.slice(0, -1) ?? "";
  return `${prefix}${prefix === "" || prefix.endsWith("-") ? "" : "-"}lobby`;
}

interface Minted {
  token: string;
  url: string;
  summary: string;
}

async function mint(args: string[]): Promise<Minted> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      sub: { type: "string" },
      name: { type: "string" },
      room: { type: "string", multiple: true, default: [] },
      role: { type: "string", multiple: true, default: [] },
      ttl: { type: "string", default: "1h" },
      open: { type: "string" },
      origin: { type: "string", default: "http://localhost:8787" },
      "dev-vars": { type: "string", default: ".dev.vars" },
    },
  });
  if (values.sub === undefined || !SUB.test(values.sub)) throw new UsageError("--sub is required: 1-128 printable ASCII characters without spaces");
  const vars = readDevVars(values["dev-vars"]);
  const secret = (vars.AUTH_SECRET ?? "").split(",")[0]?.trim();
  if (!secret) throw new UsageError(`${values["dev-vars"]} has no AUTH_SECRET: add a line AUTH_SECRET=<a long random string> and restart npm run dev`);
  const maxTtl = Number(vars.AUTH_MAX_TTL_SECONDS) > 0 ? Number(vars.AUTH_MAX_TTL_SECONDS) : DEFAULT_MAX_TTL_SECONDS;
  const ttl = ttlSeconds(values.ttl, maxTtl);
  const claims: Record<string, unknown> = {};
  if (values.name !== undefined) {
    const checked = checkDisplayName(values.name);
    if (!checked.ok) throw new UsageError(`--name ${values.name}: not a display name the room accepts (${checked.problem})`);
    claims.name = checked.name;
  }
  const rooms = values.room.map((room) => pattern(room, "--room"));
  if (rooms.length > 0) claims.rooms = rooms;
  const granted = roles(values.role);
  if (granted !== undefined) claims.roles = granted;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setSubject(values.sub).setIssuedAt().setExpirationTime(`${ttl}s`);
  if (vars.AUTH_ISSUER) jwt.setIssuer(vars.AUTH_ISSUER);
  if (vars.AUTH_AUDIENCE) jwt.setAudience(vars.AUTH_AUDIENCE);
  const token = await jwt.sign(new TextEncoder().encode(secret));
  const room = roomToOpen(values.open, rooms, Object.keys(granted ?? {}));
  const url = new URL(`/chat/${room}`, values.origin);
  url.hash = `token=${token}`;
  const expires = new Date(Date.now() + ttl * 1000).toISOString();
  return { token, url: url.href, summary: `app:${values.sub}${values.name === undefined ? "" : ` (${values.name})`}, expires ${expires}` };
}

try {
  const { token, url, summary } = await mint(process.argv.slice(2));
  process.stderr.write(`${summary}\n`);
  process.stdout.write(`${token}\n${url}\n`);
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`${(error as Error).message}\n${usage ? `${USAGE}\n` : ""}`);
  process.exitCode = usage ? 2 : 1;
}
