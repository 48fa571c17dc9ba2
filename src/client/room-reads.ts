/**
 * @module
 * The page's own HTTP requests of its room (`/api/rooms/<room>/…`: one message for a reply's quote,
 * older history, search while the socket is down, uploads). Where the page has an app's token it
 * goes as `Authorization: Bearer`, never in the URL (servers and proxies log URLs): always the
 * current one, so a token the host refreshed counts at once. A `401 token_expired` gets a fresh
 * token the way the socket gets one (the embedding host is asked; a token from the page's address
 * cannot be renewed, and the page says so) and the request goes once more.
 */
import { ERROR_CODES, type ErrorCode } from "../wire/protocol";
import { t } from "./i18n/index";

export interface TokenSupply {
  /** The token for the next request, if the page has one. */
  current(): string | undefined;
  /** A fresh token after the room said the last one expired; `undefined` when none comes. */
  renew(): Promise<string | undefined>;
}

/** A read the room refused (`code` from its `{"error"}` body) or that never got an answer (`network`). */
export class ReadError extends Error {
  constructor(
    readonly code: string,
    readonly status = 0,
  ) {
    super(code);
  }

  /** The reason in the reader's language. */
  get reason(): string {
    return reasonOf(this.code);
  }
}

/** A refusal's code in the reader's language; a code of no refusal (`network`, `offline`) as the room being out of reach. */
export function reasonOf(code: string): string {
  if ((ERROR_CODES as readonly string[]).includes(code)) return t(`error.${code as ErrorCode}`);
  return t(code === "network" || code === "offline" ? "action.offline" : "error.internal_error");
}

/** The refusal's code, if the body is the room's `{"error": {"code"}}`. */
export function errorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === "string" ? code : undefined;
}

export class RoomReads {
  private readonly base: string;
  /** One renewal at a time: reads refused together wait for the same fresh token. */
  private renewing: Promise<string | undefined> | undefined;

  constructor(
    room: string,
    private readonly tokens: TokenSupply,
  ) {
    this.base = `/api/rooms/${encodeURIComponent(room)}/`;
  }

  /** `path` under the room's API, with the token; renews it once after `token_expired`. Rejects only without an answer. */
  async fetch(path: string): Promise<Response> {
    const response = await this.once(path, this.tokens.current());
    if (!(await this.expired(response))) return response;
    const fresh = await this.renew();
    return fresh === undefined ? response : this.once(path, fresh);
  }

  /** The JSON body of a successful read; a refusal or no answer throws a `ReadError`. */
  async json<T>(path: string): Promise<T> {
    const response = await this.fetch(path).catch(() => undefined);
    if (!response) throw new ReadError("network");
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok || body === undefined) throw new ReadError(errorCode(body) ?? "internal_error", response.status);
    return body as T;
  }

  /** Opens `request` (uploads use XMLHttpRequest for its progress events) for `path`, with the current token. */
  open(request: XMLHttpRequest, method: string, path: string): void {
    request.open(method, this.base + path);
    const token = this.tokens.current();
    if (token !== undefined) request.setRequestHeader("Authorization", `Bearer ${token}`);
  }

  /** After an answer of `status` with `code` to a request made otherwise: a fresh token, when that was the problem and one came. */
  async renewedAfter(status: number, code: string | undefined): Promise<boolean> {
    return status === 401 && code === "token_expired" && this.tokens.current() !== undefined && (await this.renew()) !== undefined;
  }

  private renew(): Promise<string | undefined> {
    this.renewing ??= this.tokens.renew().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private once(path: string, token: string | undefined): Promise<Response> {
    return fetch(this.base + path, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
  }

  private async expired(response: Response): Promise<boolean> {
    if (response.status !== 401 || this.tokens.current() === undefined) return false;
    return (
      errorCode(
        await response
          .clone()
          .json()
          .catch(() => undefined),
      ) === "token_expired"
    );
  }
}
