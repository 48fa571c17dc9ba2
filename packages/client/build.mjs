// Builds the package: ESM bundles (wire code from ../../src/wire inlined, React left to the app)
// and declarations. `node build.mjs --size` also prints the library's minified+gzipped size.
import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });
const common = { bundle: true, format: "esm", target: "es2022", absWorkingDir: here, external: ["react"], logLevel: "warning" };
await build({ ...common, entryPoints: ["src/index.ts", "src/react.ts"], outdir: "dist", platform: "neutral", splitting: true, chunkNames: "chunk-[hash]" });
await build({ ...common, entryPoints: ["src/cli.ts"], outfile: "dist/cli.js", platform: "node", banner: { js: "#!/usr/bin/env node" } });
chmodSync(`${here}dist/cli.js`, 0o755);
execFileSync(
  process.execPath,
  [new URL(import.meta.resolve("typescript/package.json")).pathname.replace(/package\.json$/, "bin/tsc"), "-p", `${here}tsconfig.build.json`],
  { stdio: "inherit" },
);
// tsc keeps the sources' extensionless relative imports; Node's ESM resolution (`nodenext`) needs `.js`.
for (const file of readdirSync(`${here}dist/types`, { recursive: true })) {
  if (!file.endsWith(".d.ts")) continue;
  const path = `${here}dist/types/${file}`;
  writeFileSync(path, readFileSync(path, "utf8").replace(/((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']+?)(?<!\.js)\2/g, "$1$2$3.js$2"));
}

if (process.argv.includes("--size")) {
  const { outputFiles } = await build({ ...common, entryPoints: ["src/index.ts"], platform: "neutral", minify: true, write: false });
  const bytes = outputFiles[0].contents;
  console.log(`index: ${bytes.length} bytes minified, ${gzipSync(bytes).length} bytes gzipped`);
}
