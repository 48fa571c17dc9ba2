/**
 * Starts `wrangler dev` on loopback for end-to-end tests, crash tests and benchmarks, and stops
 * exactly the process it started (by PID, with its process group).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServerOptions {
  /** Folder of the worker (its wrangler.toml); the project root by default. */
  cwd?: string;
  /** Port to listen on; a free one by default. */
  port?: number;
  /** `--var KEY:VALUE` overrides of `[vars]`. */
  vars?: Record<string, string | number>;
  /** `--env NAME` from wrangler.toml. */
  env?: string;
  /** Local state folder; reuse it to restart "the same" server after a crash. A fresh one by default. */
  persistTo?: string;
  /** How long to wait for the server to answer. */
  timeoutMs?: number;
}

export interface DevServer {
  url: string;
  wsUrl: string;
  port: number;
  pid: number;
  persistTo: string;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it lingers. */
  stop(): Promise<void>;
  /** SIGKILL at once: a crash. */
  kill(): Promise<void>;
}

const ROOT = new URL("../..", import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A folder that lives as long as this process: a restarted server may still need its state. */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts `wrangler dev`, retrying a start that lost a port race: wrangler picks some internal ports
 * itself, and two servers starting at once (or a port freed by `freePort` and taken meanwhile) can
 * collide.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt === 3 || !String(error).includes("Address already in use")) throw error;
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const inspector = await freePort();
  const persistTo = options.persistTo ?? temporaryDir("edge-chat-state-");
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(inspector), "--persist-to", persistTo, "--show-interactive-dev-session=false");
  if (options.env) args.push("--env", options.env);
  for (const [key, value] of Object.entries(options.vars ?? {})) args.push("--var", `${key}:${value}`);
  const child = spawn("npx", args, {
    cwd: options.cwd ?? ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const server = handle(child, port, persistTo, () => output);
  try {
    await waitUntilUp(server, child, options.timeoutMs ?? 60_000);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

function handle(child: ChildProcess, port: number, persistTo: string, output: () => string): DevServer {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Negative PID: the whole group we started (npx, wrangler, workerd), nothing else.
    try {
      process.kill(-child.pid!, sig);
    } catch {
      return;
    }
    const timer = setTimeout(() => signal("SIGKILL", 0), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    persistTo,
    output,
    stop: () => signal("SIGTERM", 5000),
    kill: () => signal("SIGKILL", 0),
  };
}

async function waitUntilUp(server: DevServer, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${server.output()}`);
    try {
      const response = await fetch(`${server.url}/healthz`);
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer within ${timeoutMs} ms:\n${server.output()}`);
}
