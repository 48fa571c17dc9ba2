/**
 * @module
 * The three servers every scenario runs against, started once per bench run: the project under
 * `wrangler dev --env bench`, the broadcast-only Durable Object (bench/baseline-do) under
 * `wrangler dev`, and the Node `ws` broadcast server in a child process.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { cpSync, existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { type DevServer, startDevServer, temporaryDir } from "../test/support/dev-server.ts";
import { groupCpuMs } from "./cpu.ts";

export interface Target {
  /** "project", "baseline-do", "baseline-node", or a profiling variant's name. */
  name: string;
  /** ws:// origin; rooms live at `/chat/<room>`. */
  wsUrl: string;
  stop(): Promise<void>;
  /** CPU time the server's processes have used so far, in ms. */
  cpuMs(): number;
  /** What the server printed (wrangler's log, the worker's console), for the results folder. */
  output(): string;
}

const HERE = new URL(".", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;

// The page builds from src/client and the client library it uses; older commits have no packages/.
const SNAPSHOT = ["src", "public", "wrangler.toml", "package.json", "packages/client/src"];

/**
 * The project as committed at HEAD, in a folder of its own. Others edit the working tree while a
 * bench runs, and `wrangler dev` reloads on every saved file, dropping every socket mid-run.
 * Without git (a source archive), the working tree is copied instead.
 */
export function snapshotProject(revision = "HEAD"): { dir: string; commit: string } {
  const dir = temporaryDir("edge-chat-bench-");
  const commit = gitCommit(revision);
  if (commit) {
    const present = SNAPSHOT.filter((path) => execFileSync("git", ["ls-tree", commit, "--", path], { cwd: ROOT, encoding: "utf8" }) !== "");
    const archive = execFileSync("git", ["archive", commit, ...present], { cwd: ROOT });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
  } else {
    for (const path of SNAPSHOT.filter((p) => existsSync(join(ROOT, p)))) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return { dir, commit: commit ?? "working tree (no git)" };
}

function gitCommit(revision: string): string | undefined {
  if (!existsSync(join(ROOT, ".git"))) return undefined;
  return execFileSync("git", ["rev-parse", revision], { cwd: ROOT, encoding: "utf8" }).trim();
}

/** The commit the project target was started from (set by startTargets). */
export let projectCommit = "";

/** Process groups still running; if the bench dies without stopping them, they go with it. */
const groups = new Set<number>();
process.on("exit", () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
});

// Ctrl-C or a kill ends the bench through "exit", so the handler above still runs.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

export async function wrangler(name: string, start: Promise<DevServer>): Promise<Target> {
  const server = await start;
  groups.add(server.pid);
  return {
    name,
    wsUrl: server.wsUrl,
    stop: () => server.stop().then(() => void groups.delete(server.pid)),
    output: () => server.output(),
    cpuMs: () => groupCpuMs(server.pid),
  };
}

async function nodeBaseline(): Promise<Target> {
  const child: ChildProcess = fork(`${HERE}baseline-node.ts`, [], { stdio: ["ignore", "pipe", "inherit", "ipc"], detached: true });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`baseline-node exited with ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    });
  });
  groups.add(child.pid!);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      groups.delete(child.pid!);
      resolve();
    }),
  );
  return {
    name: "baseline-node",
    wsUrl: `ws://127.0.0.1:${port}`,
    output: () => output,
    // detached: the child leads its own process group, so the same /proc reading applies.
    cpuMs: () => groupCpuMs(child.pid!),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The project (a fresh snapshot of HEAD) under `--env bench` with some vars changed, as its own target. */
export async function projectVariant(name: string, vars: Record<string, string>): Promise<Target> {
  const { dir } = snapshotProject();
  return wrangler(name, startDevServer({ cwd: dir, env: "bench", vars }));
}

/**
 * Starts all three, and with `compare` the project at that revision too (as `before`), so a change
 * is measured against what it changed in the same run. The project's per-connection limits come
 * from `[env.bench]`; `vars` can override more of them (e.g. `WELCOME_HISTORY`) for profiling runs.
 */
export async function startTargets(vars: Record<string, string> = {}, compare?: string): Promise<Target[]> {
  const project = snapshotProject();
  projectCommit = project.commit;
  const before = compare === undefined ? [] : [wrangler("before", startDevServer({ cwd: snapshotProject(compare).dir, env: "bench", vars }))];
  const started = await Promise.allSettled([
    wrangler("project", startDevServer({ cwd: project.dir, env: "bench", vars })),
    ...before,
    wrangler("baseline-do", startDevServer({ cwd: `${HERE}baseline-do` })),
    nodeBaseline(),
  ]);
  const targets = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await stopTargets(targets);
    throw (failed as PromiseRejectedResult).reason;
  }
  return targets;
}

export async function stopTargets(targets: Target[]): Promise<void> {
  await Promise.all(targets.map((target) => target.stop()));
}
