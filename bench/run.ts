/**
 * @module
 * `npm run bench [-- --scenario NAME[,NAME]] [--smoke] [--rounds N] [--var KEY:VALUE] [--compare REV]`:
 * starts the project and both baselines (and with `--compare` the project at REV as `before`), runs
 * the scenarios against all of them alternately, prints tables and writes JSON to bench/results/.
 * Exits non-zero when a smoke run misses a delivery or a connect.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { SCENARIOS } from "./all-scenarios.ts";
import { DISCLAIMER, table } from "./report.ts";
import type { Section } from "./scenario.ts";
import { projectCommit, startTargets, stopTargets } from "./targets.ts";

const { values: flags } = parseArgs({
  options: {
    scenario: { type: "string" },
    smoke: { type: "boolean", default: false },
    rounds: { type: "string" },
    var: { type: "string", multiple: true, default: [] },
    compare: { type: "string" },
  },
});

const HERE = new URL(".", import.meta.url).pathname;
const wanted = flags.scenario?.split(",") ?? SCENARIOS.map((s) => s.name);
const unknown = wanted.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
const rounds = Number(flags.rounds ?? (flags.smoke ? 1 : 2));
const vars = Object.fromEntries(flags.var.map((kv) => [kv.slice(0, kv.indexOf(":")), kv.slice(kv.indexOf(":") + 1)]));

function version(pkg: string): string {
  // wrangler runs the workerd it ships with when that differs from the top-level one.
  for (const dir of [`wrangler/node_modules/${pkg}`, pkg]) {
    try {
      return JSON.parse(readFileSync(new URL(`../node_modules/${dir}/package.json`, import.meta.url), "utf8")).version;
    } catch {
      // Not there; try the next place.
    }
  }
  return "unknown";
}

const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  wrangler: version("wrangler"),
  workerd: version("workerd"),
};

console.log(`# Bench ${flags.smoke ? "(smoke) " : ""}${new Date().toISOString()}\n\n${DISCLAIMER}\n`);
console.log(`Machine: ${JSON.stringify(machine)}; rounds per target: ${rounds}; project env: bench ${JSON.stringify(vars)}\n`);

const targets = await startTargets(vars, flags.compare);
const source =
  projectCommit === "working tree (no git)" ? "the working tree (no git here)" : `commit ${projectCommit} (a snapshot of HEAD, not the working tree)`;
console.log(`Project: ${source}\n`);
const results: { scenario: string; summary: string; sections: Section[] }[] = [];
const failures: string[] = [];
const started = Date.now();
try {
  for (const scenario of SCENARIOS.filter((s) => wanted.includes(s.name))) {
    console.log(`## ${scenario.name}: ${scenario.summary}\n`);
    const progress = (line: string) => console.error(`  ${line}`);
    const sections = await scenario.run({ targets, smoke: flags.smoke, rounds, progress });
    for (const section of sections) console.log(`${table(section, section.columns ?? targets.map((target) => target.name))}\n`);
    results.push({ scenario: scenario.name, summary: scenario.summary, sections });
    failures.push(...sections.flatMap((s) => s.failures));
  }
} finally {
  await stopTargets(targets);
}

mkdirSync(`${HERE}results`, { recursive: true });
const stem = `${HERE}results/${new Date().toISOString().replace(/[:.]/g, "-")}${flags.smoke ? "-smoke" : ""}`;
for (const target of targets) writeFileSync(`${stem}-${target.name}.log`, target.output());
const file = `${stem}.json`;
writeFileSync(
  file,
  JSON.stringify(
    { disclaimer: DISCLAIMER, machine, commit: projectCommit, rounds, vars, smoke: flags.smoke, seconds: (Date.now() - started) / 1000, results, failures },
    null,
    2,
  ),
);
console.log(`Results: ${file}`);
if (failures.length > 0) {
  console.log(`\nFailures:\n${failures.map((f) => `- ${f}`).join("\n")}`);
  // Only a smoke run is pass/fail; a full run's shortfalls are results, not errors.
  if (flags.smoke) process.exitCode = 1;
}
