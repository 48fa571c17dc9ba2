/**
 * @module
 * `npm run size -- [<base commit>]`: the page's bundle (src/client/main.ts), the embedded room's
 * (src/client/embed/main.ts), embed.js and the client library, built from the working tree and from the base commit (default: 5533293, the
 * page before the library) in the same run, with the same esbuild and the same options: raw,
 * minified, and minified+gzipped bytes. The page's bytes are also split by where they come from,
 * so that the library's part (its modules, or at the base the page's own connection modules of
 * the same names) can be told from the rest of the page.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";

const ROOT = new URL("..", import.meta.url).pathname;
const base = process.argv[2] ?? "5533293";
/** The library's module names: at the base the same modules lived in src/client/. */
const LIBRARY = new Set(readdirSync(join(ROOT, "packages/client/src")));

const BUNDLES: Record<string, { entry: string; format: BuildOptions["format"] }> = {
  page: { entry: "src/client/main.ts", format: "esm" },
  "embedded room": { entry: "src/client/embed/main.ts", format: "esm" },
  "embed.js": { entry: "src/embed-script/embed.ts", format: "iife" },
  library: { entry: "packages/client/src/index.ts", format: "esm" },
};

interface Size {
  raw: number;
  min: number;
  gzip: number;
  /** Minified bytes of the page by origin. */
  parts: Record<string, number>;
}

function origin(input: string): string {
  if (input.startsWith("src/wire/") || /^src\/[^/]+\.ts$/.test(input)) return "wire";
  if (input.startsWith("packages/client/") || (/^src\/client\/[^/]+\.ts$/.test(input) && LIBRARY.has(basename(input)))) return "connection";
  if (input.startsWith("src/client/embed/")) return "embed frame";
  if (input.startsWith("src/client/i18n/")) return "strings";
  return "page";
}

async function measure(dir: string, entry: string, format: BuildOptions["format"]): Promise<Size | undefined> {
  if (!existsSync(join(dir, entry))) return undefined;
  const options: BuildOptions = { entryPoints: [entry], absWorkingDir: dir, bundle: true, format, target: "es2022", write: false, logLevel: "silent" };
  const raw = (await build(options)).outputFiles![0]!.contents;
  const minified = await build({ ...options, minify: true, metafile: true, outfile: "out.js" });
  const bytes = minified.outputFiles![0]!.contents;
  const parts: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(minified.metafile!.outputs)[0]!.inputs)) {
    parts[origin(input)] = (parts[origin(input)] ?? 0) + bytesInOutput;
  }
  return { raw: raw.length, min: bytes.length, gzip: gzipSync(bytes).length, parts };
}

function change(now: number, then: number): string {
  const delta = now - then;
  return `${delta >= 0 ? "+" : ""}${delta} (${((delta / then) * 100).toFixed(1)} %)`;
}

const checkout = mkdtempSync(join(tmpdir(), "bundle-size-"));
try {
  execFileSync("sh", ["-c", `git -C "${ROOT}" archive "${base}" | tar -x -C "${checkout}"`], { stdio: ["ignore", "ignore", "pipe"] });
  const short = execFileSync("git", ["-C", ROOT, "rev-parse", "--short", base], { encoding: "utf8" }).trim();
  for (const [name, { entry, format }] of Object.entries(BUNDLES)) {
    const [now, then] = await Promise.all([measure(ROOT, entry, format), measure(checkout, entry, format)]);
    if (!now) continue;
    console.log(`${name}: ${now.raw} bytes, ${now.min} minified, ${now.gzip} gzipped`);
    if (!then) {
      console.log(`  (not at ${short})`);
      continue;
    }
    console.log(
      `  at ${short}: ${then.raw} bytes, ${then.min} minified, ${then.gzip} gzipped; minified ${change(now.min, then.min)}, gzipped ${change(now.gzip, then.gzip)}`,
    );
    if (name !== "page") continue;
    for (const part of Object.keys({ ...now.parts, ...then.parts }).sort()) {
      console.log(`  ${part.padEnd(12)} ${String(now.parts[part] ?? 0).padStart(6)} minified (${short}: ${then.parts[part] ?? 0})`);
    }
  }
} finally {
  rmSync(checkout, { recursive: true, force: true });
}
