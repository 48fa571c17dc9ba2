/**
 * @module
 * Files in a room over HTTP: `POST /api/rooms/<room>/files` (a browser's FormData, field `file`)
 * and `GET` of the URL it answers. The worker checks, sniffs and stores the bytes in R2; the room
 * object only admits the upload and keeps its record, so no body ever passes through it.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { readConfig } from "../config";
import { checkFileUrl, readUrlSigning } from "../files/file-urls";
import { nameProblem, readFileConfig } from "../files/rules";
import { contentDisposition, servedHeaders } from "../files/serve";
import { sniff } from "../files/sniff";
import { addressOf, COOKIE_NAME, isSecret, resolveUid } from "../identity/identity";
import { log } from "../log";
import { isFileId } from "../wire/parse";
import type { ErrorCode } from "../wire/protocol";
import { type AppEnv, httpError } from "./errors";
import { originAllowed } from "./origin";
import { roomReader } from "./reader";

export const files = new Hono<AppEnv>();

/** How a refused upload answers; the room's refusals keep their socket codes. */
const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  banned: 403,
  locked: 403,
  forbidden: 403,
  rate_limited: 429,
  file_too_large: 413,
  unsupported_type: 415,
};

/** The multipart envelope around the file: boundaries, headers, a name. */
const FORM_OVERHEAD = 64 * 1024;

/**
 * Who uploads: the same person the socket would be: the app user of a bearer token (reader.ts),
 * else the one of `key=` or the cookie (identity.ts). An upload with none could never be attached
 * (a one-off identity is new on every connection), so it is refused rather than kept for an hour.
 */
async function uploader(c: Context<AppEnv>, room: string): Promise<{ uid: string } | { refused: ErrorCode | "invalid_key"; message: string }> {
  const app = c.get("app");
  if (app !== undefined) return { uid: app.uid };
  const key = c.req.query("key") ?? null;
  const cookie = getCookie(c, COOKIE_NAME, "host");
  if (key === null && (cookie === undefined || !isSecret(cookie))) return { refused: "forbidden", message: "an upload needs the room's cookie or a key" };
  const uid = await resolveUid(key, cookie, room);
  return uid === undefined ? { refused: "invalid_key", message: "key must be 16-128 characters of A-Z a-z 0-9 - _" } : { uid };
}

/**
 * Who reads a file: where tokens are required, the signature of the URL the room handed out
 * (file-urls.ts) lets in an `<img>` or a link, which send no bearer; a bearer, when one comes,
 * is judged instead, like any other read (reader.ts).
 */
const fileReader: MiddlewareHandler<AppEnv> = async (c, next) => {
  const signing = readUrlSigning(c.env);
  const { exp, sig } = c.req.query();
  if (signing === undefined || c.req.method !== "GET" || c.req.header("Authorization") !== undefined || (exp === undefined && sig === undefined)) {
    return roomReader(c, next);
  }
  const checked = checkFileUrl(c.req.param("room") ?? "", c.req.param("id") ?? "", exp, sig, signing);
  if (checked.ok) return next();
  log("refused", { requestId: c.get("requestId"), reason: checked.code, room: c.req.param("room") });
  return httpError(c, checked.status, checked.code, checked.message);
};

// Before the body is read: a caller the room would not let in uploads nothing.
files.use("/rooms/:room/files", roomReader);
files.use("/rooms/:room/files/:id", fileReader);

files.post("/rooms/:room/files", async (c, next) => {
  const url = new URL(c.req.url);
  // A form post is a simple request: without this check any site could make a visitor upload.
  if (!originAllowed(c.req.header("Origin"), url.origin, readConfig(c.env).allowedOrigins)) {
    return httpError(c, 403, "forbidden_origin", "this origin may not upload here");
  }
  // Refused before the body is read, whether it came with a Content-Length or chunked.
  const { maxFileBytes } = readFileConfig(c.env);
  return bodyLimit({
    maxSize: maxFileBytes + FORM_OVERHEAD,
    onError: (c) => httpError(c, 413, "file_too_large", `a file may have at most ${maxFileBytes} bytes`),
  })(c, next);
});

files.post("/rooms/:room/files", async (c) => {
  const room = c.req.param("room");
  const config = readFileConfig(c.env);
  const who = await uploader(c, room);
  if ("refused" in who) return refuse(c, who.refused, who.message);
  const form = await c.req.formData().catch(() => undefined);
  const file = form?.get("file");
  if (!(file instanceof File)) return refuse(c, "invalid_file", 'the body must be multipart/form-data with the file in field "file"');
  if (file.size === 0) return refuse(c, "invalid_file", "the file is empty");
  if (file.size > config.maxFileBytes) return refuse(c, "file_too_large", `a file may have at most ${config.maxFileBytes} bytes`);
  const problem = nameProblem(file.name);
  if (problem) return refuse(c, "invalid_file", problem);
  const sniffed = sniff(new Uint8Array(await file.arrayBuffer()), config.types);
  if (!sniffed) return refuse(c, "unsupported_type", `this kind of file is not taken here; allowed: ${[...config.types].join(", ")}`);
  const ip = c.req.header("cf-connecting-ip");
  const address = ip === undefined ? undefined : await addressOf(ip, room);
  const stub = c.env.ROOMS.getByName(room);
  const admitted = await stub.admitFile({ ...sniffed, uid: who.uid, name: file.name, size: file.size }, address);
  if (!admitted.ok) return refuse(c, admitted.code, admitted.message, admitted.retryAfter);
  const { file: ref, key } = admitted.value;
  try {
    // The part itself: a Blob always has a known length, which R2 needs to stream it in.
    await c.env.FILES.put(key, file, { httpMetadata: { contentType: ref.type } });
  } catch (error) {
    await stub.releaseFile(ref.id);
    log("error", { requestId: c.get("requestId"), where: "files.put", message: String(error) });
    return httpError(c, 500, "internal_error", "the file could not be stored; try again");
  }
  log("upload", { requestId: c.get("requestId"), room, id: ref.id, size: ref.size, type: ref.type });
  return c.json({ file: ref }, 201);
});

files.get("/rooms/:room/files/:id", async (c) => {
  const id = c.req.param("id");
  const file = isFileId(id) ? await c.env.ROOMS.getByName(c.req.param("room")).file(id) : undefined;
  if (!file) return httpError(c, 404, "not_found", "no such file in this room");
  const headers = c.req.raw.headers;
  const range = byteRange(headers.get("Range"), file.size);
  if (range === "unsatisfiable") return unsatisfiable(file.size);
  const object = await c.env.FILES.get(file.key, { onlyIf: headers, ...(range && { range: { offset: range.start, length: range.end - range.start + 1 } }) });
  if (!object) return httpError(c, 404, "not_found", "no such file in this room");
  const answer = servedHeaders(file, object.httpEtag);
  answer.set("Content-Disposition", contentDisposition(file));
  if (!("body" in object)) {
    const revalidating = headers.has("If-None-Match") || headers.has("If-Modified-Since");
    return new Response(null, { status: revalidating ? 304 : 412, headers: answer });
  }
  if (!range) return new Response(object.body, { status: 200, headers: answer });
  answer.set("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
  answer.set("Content-Length", String(range.end - range.start + 1));
  return new Response(object.body, { status: 206, headers: answer });
});

/**
 * One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) in inclusive form. Anything else (several
 * ranges, other units, nonsense) is ignored, as RFC 9110 allows: the whole file is sent.
 */
function byteRange(header: string | null, size: number): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  if (first === "") return Number(last) === 0 ? "unsatisfiable" : { start: Math.max(0, size - Number(last)), end: size - 1 };
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return undefined;
  return start >= size ? "unsatisfiable" : { start, end };
}

function unsatisfiable(size: number): Response {
  return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
}

function refuse(c: Context<AppEnv>, code: ErrorCode | "invalid_key", message: string, retryAfter?: number): Response {
  if (retryAfter !== undefined) c.header("Retry-After", String(Math.ceil(retryAfter)));
  log("refused", { requestId: c.get("requestId"), reason: code, room: c.req.param("room") });
  return httpError(c, (code !== "invalid_key" && STATUS[code]) || 400, code, message);
}
