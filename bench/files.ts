/**
 * @module
 * Files on: is a room's message ceiling the same when messages carry files? The saturate ladder
 * (100 members all sending) runs against the project twice per step, alternately: plain messages,
 * and with every 20th message carrying a file its sender uploaded beforehand (the room then checks,
 * attaches and broadcasts file records inside its group commit). Same server, same run: the ratio
 * is what counts, not the absolute numbers of a shared machine. A third target, the `main` branch
 * from before files existed (when there is one), runs the plain messages too: its ceiling is the
 * one "unchanged" is measured against.
 */
import { execFileSync } from "node:child_process";
import { startDevServer } from "../test/support/dev-server.ts";
import { alternate, mediansByTarget } from "./compare.ts";
import { type Context, deliveryFailures, type Scenario, type Section } from "./scenario.ts";
import { snapshotProject, type Target, wrangler } from "./targets.ts";
import { type RunSummary, runTraffic } from "./traffic.ts";

const FILES_EVERY = 20;
const WITH_FILES = "project+files";
const BEFORE = "main";

/** The main branch as a target of its own, unless it is what HEAD is (or there is no git). */
async function mainTarget(smoke: boolean): Promise<Target | undefined> {
  if (smoke) return undefined;
  try {
    const [head, main] = ["HEAD", "main"].map((rev) => execFileSync("git", ["rev-parse", rev], { encoding: "utf8" }).trim());
    if (head === main) return undefined;
  } catch {
    return undefined;
  }
  return wrangler(BEFORE, startDevServer({ cwd: snapshotProject("main").dir, env: "bench" }));
}

function held(run: RunSummary): boolean {
  return run.deliveryRatio >= 0.99 && run.latencyP99 <= 250;
}

export const files: Scenario = {
  name: "files",
  summary: `1 room, 100 members all sending, plain vs. every ${FILES_EVERY}th message with a file; ceiling of each in one run`,
  async run(c) {
    const project = c.targets.find((target) => target.name === "project");
    if (!project) return [];
    const before = await mainTarget(c.smoke);
    try {
      return await ladder(c, project, before);
    } finally {
      await before?.stop();
    }
  },
};

async function ladder(c: Context, project: Target, before: Target | undefined): Promise<Section[]> {
  const members = c.smoke ? 5 : 100;
  const steps = c.smoke ? [20] : [400, 800, 1600, 2400, 3200, 4000];
  let alive: Target[] = [project, { ...project, name: WITH_FILES }, ...(before ? [before] : [])];
  const ceiling: Record<string, number> = Object.fromEntries(alive.map((target) => [target.name, 0]));
  const columns = [WITH_FILES, "project", ...(before ? [BEFORE] : [])];
  const sections: Section[] = [];
  for (const rate of steps) {
    if (alive.length === 0) break;
    const title = `files ${rate} msg/s`;
    const rounds = await alternate(alive, c.rounds, async (target, round) => {
      const plan = { rooms: 1, membersPerRoom: members, sendersPerRoom: members, ratePerSender: rate / members, seconds: c.smoke ? 1 : 5 };
      // A smoke run sends a few messages only: half of them carry files, so some do.
      const filesEvery = c.smoke ? 2 : FILES_EVERY;
      const run = await runTraffic(target, target.name === WITH_FILES ? { ...plan, filesEvery } : plan, "files");
      c.progress(`${title} ${target.name} #${round + 1}: delivered ${run.delivered}/${run.expected}, p99 ${run.latencyP99} ms`);
      return run;
    });
    const byTarget = mediansByTarget(rounds);
    sections.push({ title, byTarget, rounds, failures: deliveryFailures(title, rounds), columns });
    alive = alive.filter((target) => {
      const ok = held(byTarget[target.name] as RunSummary);
      if (ok) ceiling[target.name] = rate;
      return ok;
    });
  }
  const byTarget = Object.fromEntries(Object.entries(ceiling).map(([name, rate]) => [name, { ceilingMsgPerSecond: rate }]));
  sections.push({ title: "files ceiling (last step held)", byTarget, rounds: {}, failures: [], columns });
  return sections;
}
