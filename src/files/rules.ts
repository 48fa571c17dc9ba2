/**
 * @module
 * The rules an upload is held to before any byte is stored: its name, and the operator's limits
 * (`MAX_FILE_BYTES`, `ROOM_FILE_BYTES`, `UPLOADS_PER_MINUTE`, `FILE_TYPES`, and how URLs are signed;
 * docs/operations.md).
 */
import { readUrlSigning, type UrlSigning } from "./file-urls";
import { KNOWN_TYPES } from "./sniff";

export interface FileConfig {
  /** One file's most bytes. */
  maxFileBytes: number;
  /** A room's files together, attached or not. */
  roomFileBytes: number;
  /** Uploads one person may start in one room per minute. */
  uploadsPerMinute: number;
  /** The sniffed types accepted (a subset of KNOWN_TYPES). */
  types: ReadonlySet<string>;
  /** How file URLs are signed, when tokens are required (file-urls.ts). */
  urlSigning?: UrlSigning;
}

const MiB = 1024 * 1024;
/** 255 is what most file systems allow; the name is shown and saved, never used as a path. */
const MAX_NAME_CHARS = 255;
/** An upload never attached to a message is removed this long after it arrived. */
export const UNATTACHED_TTL_MS = 60 * 60 * 1000;

function positive(vars: Record<string, unknown>, key: string, fallback: number): number {
  const value = Number(vars[key]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

export function readFileConfig(env: object): FileConfig {
  const vars = env as Record<string, unknown>;
  const listed = String(vars.FILE_TYPES ?? "")
    .split(",")
    .map((type) => type.trim().toLowerCase())
    .filter((type): type is (typeof KNOWN_TYPES)[number] => (KNOWN_TYPES as readonly string[]).includes(type));
  const config: FileConfig = {
    // 10 MiB: a phone photo or a long PDF fits, and the worker holds the whole form in memory while
    // it sniffs and stores it, so a few uploads at once stay well inside an isolate's 128 MB.
    maxFileBytes: positive(vars, "MAX_FILE_BYTES", 10 * MiB),
    roomFileBytes: positive(vars, "ROOM_FILE_BYTES", 1024 * MiB),
    uploadsPerMinute: positive(vars, "UPLOADS_PER_MINUTE", 20),
    types: new Set(listed.length > 0 ? listed : KNOWN_TYPES),
  };
  const urlSigning = readUrlSigning(env);
  if (urlSigning !== undefined) config.urlSigning = urlSigning;
  return config;
}

// C0 and C1 controls, DEL, and the bidi controls that make `evil‮gpj.exe` read as `evilexe.jpg`.
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** Why a file name is refused, or undefined when it may be kept as given. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === "") return "the file has no name";
  if (!name.isWellFormed() || FORBIDDEN.test(name)) return "the file name has control characters or broken Unicode";
  if (name.includes("/") || name.includes("\\")) return "the file name may not contain / or \\";
  if (name === "." || name === "..") return "the file name may not be . or ..";
  if ([...name].length > MAX_NAME_CHARS) return `the file name is longer than ${MAX_NAME_CHARS} characters`;
  return undefined;
}
