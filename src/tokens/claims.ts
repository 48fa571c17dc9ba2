/**
 * @module
 * What an app's token may say beyond its signature: who (`sub`, `name`), where (`rooms`) and with
 * which role (`roles`). Pure rules, so the worker at the door and a room refreshing a socket read a
 * token the same way.
 */
import { checkDisplayName } from "../wire/names";

/** A role the app grants on top of the roles given inside the room. */
export type GrantedRole = "owner" | "moderator";

/** An app user's uid: the same in every room (the app already knows its users). */
const APP_UID_PREFIX = "app:";
const SUB = /^[\x21-\x7e]{1,128}$/;
const ROLES: readonly GrantedRole[] = ["owner", "moderator"];

/** What a verified token says, checked. */
export interface AppClaims {
  sub: string;
  name?: string;
  /** Seconds since epoch. */
  exp: number;
  /** Room names, or prefixes ending in `*`; absent: any room. */
  rooms?: string[];
  /** Room name or prefix to role. */
  roles?: Record<string, GrantedRole>;
}

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function appUid(sub: string): string {
  return `${APP_UID_PREFIX}${sub}`;
}

/** Reads the identity and access claims of a payload whose signature and times were checked. */
export function readClaims(payload: Record<string, unknown>): Checked<AppClaims> {
  const { sub, name, exp, rooms, roles } = payload;
  if (typeof sub !== "string" || !SUB.test(sub)) return fail("sub must be 1-128 printable ASCII characters without spaces");
  if (typeof exp !== "number") return fail("exp is required");
  const claims: AppClaims = { sub, exp };
  if (name !== undefined) {
    const checked = typeof name === "string" ? checkDisplayName(name) : undefined;
    if (!checked?.ok) return fail("name breaks the display-name rule");
    claims.name = checked.name;
  }
  if (rooms !== undefined) {
    if (!Array.isArray(rooms) || !rooms.every(isPattern)) return fail("rooms must be a list of room names or prefixes ending in *");
    claims.rooms = rooms;
  }
  if (roles !== undefined) {
    if (!isRoles(roles)) return fail('roles must map room names or prefixes to "owner" or "moderator"');
    claims.roles = roles;
  }
  return { ok: true, value: claims };
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function isPattern(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 65;
}

function isRoles(value: unknown): value is Record<string, GrantedRole> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(([pattern, role]) => isPattern(pattern) && ROLES.includes(role as GrantedRole));
}

/** `team-*` matches every room starting with `team-`; `*` every room; anything else only itself. */
function matches(pattern: string, room: string): boolean {
  return pattern.endsWith("*") ? room.startsWith(pattern.slice(0, -1)) : pattern === room;
}

/** Whether the token may join `room`. */
export function mayJoin({ rooms }: AppClaims, room: string): boolean {
  return rooms === undefined || rooms.some((pattern) => matches(pattern, room));
}

/** The role the token grants in `room`: an exact name wins over prefixes, the longest prefix over shorter ones. */
export function grantedRole({ roles }: AppClaims, room: string): GrantedRole | undefined {
  if (roles === undefined) return undefined;
  if (Object.hasOwn(roles, room) && !room.endsWith("*")) return roles[room];
  const [best] = Object.keys(roles)
    .filter((pattern) => pattern.endsWith("*") && matches(pattern, room))
    .sort((a, b) => b.length - a.length);
  return best === undefined ? undefined : roles[best];
}
