/**
 * @module
 * `npm run bench:profile -- [--commit SHA] [--rounds N] [--only saturate|storm]`: where does the room's time go? Runs the
 * project against copies of itself with one cost taken out (never shipped; patched in a temporary
 * snapshot, src/ is untouched) and the broadcast-only DO, alternating, on the saturate and storm
 * loads. A patch that no longer applies stops the run: the room changed, update the patch.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDevServer } from "../test/support/dev-server.ts";
import { SCENARIOS } from "./all-scenarios.ts";
import { DISCLAIMER, table } from "./report.ts";
import { traffic } from "./scenario.ts";
import { snapshotProject, stopTargets, type Target, wrangler } from "./targets.ts";

type Patch = [file: string, from: string, to: string];

const VARIANTS: Record<string, { what: string; patches: Patch[]; vars?: Record<string, string> }> = {
  "no-sqlite": {
    what: "the group commit without the INSERT/DELETE: ids from an in-memory counter",
    patches: [
      [
        "src/messages/messages.ts",
        "const message = this.history.append({ from, text, ts: now, nonce, replyTo }, this.keep);",
        'const message = { type: "message" as const, id: ++fakeId, from, text, ts: now };',
      ],
      ["src/messages/messages.ts", "export class Messages {", "let fakeId = 0;\nexport class Messages {"],
    ],
  },
  "no-observability": {
    what: "wrangler.toml with [observability] off: no trace of every Durable Object event",
    patches: [["wrangler.toml", "[observability]\nenabled = true", "[observability]\nenabled = false"]],
  },
  "no-limiter": {
    what: "connect() without the CONNECT_LIMITER call",
    patches: [["src/http/app.ts", 'c.env.CONNECT_LIMITER.limit({ key: ip ?? "unknown" }),', "Promise.resolve({ success: true }),"]],
  },
  "no-logs": {
    what: "log() prints nothing (every structured log line of worker and room)",
    patches: [
      [
        "src/log.ts",
        "const line = JSON.stringify({ event, ...fields, ts: Date.now() });",
        "return;\n  const line = JSON.stringify({ event, ...fields, ts: Date.now() });",
      ],
    ],
  },
  "roster-20": {
    what: "ROSTER_LIMIT 20 instead of 200: a welcome lists 20 people, not 200",
    patches: [],
    vars: { ROSTER_LIMIT: "20" },
  },
};

function variant(revision: string, name: string): { dir: string } {
  const { dir } = snapshotProject(revision);
  for (const [file, from, to] of VARIANTS[name]!.patches) {
    const path = join(dir, file);
    const source = readFileSync(path, "utf8");
    if (!source.includes(from)) throw new Error(`${name}: ${file} no longer contains ${JSON.stringify(from)}`);
    writeFileSync(path, source.replace(from, to));
  }
  return { dir };
}

const { values: flags } = parseArgs({
  options: { commit: { type: "string", default: "HEAD" }, rounds: { type: "string", default: "2" }, only: { type: "string" } },
});
const runs = (part: "saturate" | "storm") => flags.only === undefined || flags.only === part;
const rounds = Number(flags.rounds);
const { dir, commit } = snapshotProject(flags.commit);
console.log(`# Profile of commit ${commit}\n\n${DISCLAIMER}\n`);
for (const [name, { what }] of Object.entries(VARIANTS)) console.log(`- ${name}: ${what}`);

const started = await Promise.allSettled([
  wrangler("project", startDevServer({ cwd: dir, env: "bench" })),
  ...Object.entries(VARIANTS).map(([name, { vars }]) => wrangler(name, startDevServer({ cwd: variant(commit, name).dir, env: "bench", vars }))),
  wrangler("baseline-do", startDevServer({ cwd: new URL("baseline-do", import.meta.url).pathname })),
]);
const all = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
const pick = (...names: string[]): Target[] => names.map((n) => all.find((t) => t.name === n)!);
const progress = (line: string) => console.error(`  ${line}`);
try {
  if (all.length !== started.length) throw started.find((r) => r.status === "rejected")!.reason;
  const columns = ["project", "no-sqlite", "no-observability", "baseline-do"];
  for (const rate of runs("saturate") ? [100, 200] : []) {
    const plan = { rooms: 1, membersPerRoom: 100, sendersPerRoom: 100, ratePerSender: rate / 100, seconds: 5 };
    const section = await traffic({ targets: pick(...columns), smoke: false, rounds, progress }, `saturate ${rate} msg/s`, plan, "profile");
    console.log(`\n${table(section, columns)}`);
  }
  const storm = SCENARIOS.find((s) => s.name === "storm")!;
  const stormColumns = ["project", "no-limiter", "no-logs", "roster-20", "baseline-do"];
  for (const section of runs("storm") ? await storm.run({ targets: pick(...stormColumns), smoke: false, rounds, progress }) : []) {
    console.log(`\n${table(section, stormColumns)}`);
  }
} finally {
  await stopTargets(all);
}
