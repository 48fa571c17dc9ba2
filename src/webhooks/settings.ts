/**
 * @module
 * The webhook and message hook settings from the worker's env (docs/operations.md, "Webhooks").
 * A setting that is set but wrong turns its feature off and says why in the log, rather than
 * sending events somewhere nobody meant or unsigned.
 */
import { log } from "../log";
import { EVENT_TYPES, type EventType, isEventType } from "./events";
import { parseSecret } from "./sign";

/** The retry schedule: seconds after the first, second, ... failed attempt (docs/operations.md). */
export const DEFAULT_RETRY_SECONDS = [5, 30, 120, 600, 3600, 21600, 86400];
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_HOOK_TIMEOUT_MS = 1000;

interface Endpoint {
  url: string;
  /** The HMAC key, decoded from `whsec_<base64>`. */
  key: Uint8Array;
}

export interface WebhookSettings {
  /** Absent: webhooks are off and nothing is recorded. */
  endpoint?: Endpoint;
  /** Which event types are recorded. */
  events: ReadonlySet<EventType>;
  timeoutMs: number;
  retrySeconds: number[];
}

export interface HookSettings {
  /** Absent: the message hook is off. */
  endpoint?: Endpoint;
  timeoutMs: number;
  /** What a hook that fails or times out decides. */
  failure: "allow" | "reject";
}

type Vars = Record<string, unknown>;

/** https anywhere; plain http only to this machine, for development. */
function allowedUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (url.protocol === "https:") return true;
    return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}

function endpoint(vars: Vars, urlKey: string): Endpoint | undefined {
  const url = String(vars[urlKey] ?? "").trim();
  if (url === "") return undefined;
  const key = parseSecret(String(vars.WEBHOOK_SECRET ?? ""));
  if (!allowedUrl(url)) log("error", { where: "config", message: `${urlKey} must be an https URL (http only for localhost); it is off` });
  else if (!key) log("error", { where: "config", message: `${urlKey} needs WEBHOOK_SECRET as whsec_<base64>; it is off` });
  else return { url, key };
  return undefined;
}

function positive(raw: unknown, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(value) && value > 0 ? value : fallback;
}

function eventTypes(raw: unknown): ReadonlySet<EventType> {
  const listed = String(raw ?? "")
    .split(",")
    .map((type) => type.trim())
    .filter(Boolean);
  const unknown = listed.filter((type) => !isEventType(type));
  if (unknown.length > 0) log("error", { where: "config", message: `WEBHOOK_EVENTS: unknown types ignored: ${unknown.join(", ")}` });
  const known = listed.filter(isEventType);
  return new Set(listed.length > 0 ? known : EVENT_TYPES);
}

function retrySeconds(raw: unknown): number[] {
  const steps = String(raw ?? "")
    .split(",")
    .filter((step) => step.trim() !== "")
    .map(Number);
  return steps.length > 0 && steps.every((step) => Number.isFinite(step) && step >= 0) ? steps : DEFAULT_RETRY_SECONDS;
}

export function readWebhookSettings(env: object): WebhookSettings {
  const vars = env as Vars;
  return {
    endpoint: endpoint(vars, "WEBHOOK_URL"),
    events: eventTypes(vars.WEBHOOK_EVENTS),
    timeoutMs: positive(vars.WEBHOOK_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
    retrySeconds: retrySeconds(vars.WEBHOOK_RETRY_SECONDS),
  };
}

export function readHookSettings(env: object): HookSettings {
  const vars = env as Vars;
  return {
    endpoint: endpoint(vars, "MESSAGE_HOOK_URL"),
    timeoutMs: positive(vars.MESSAGE_HOOK_TIMEOUT_MS, DEFAULT_HOOK_TIMEOUT_MS),
    failure: String(vars.MESSAGE_HOOK_FAILURE ?? "").trim() === "reject" ? "reject" : "allow",
  };
}
