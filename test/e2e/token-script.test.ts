/**
 * `npm run token` (scripts/token.ts) against a real `wrangler dev` that has the same AUTH_SECRET:
 * the token it prints gets in as `app:<sub>` with its name, rooms and roles, and the address it
 * prints carries the token in the fragment only. Bad input gets a clear error and no token.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { ErrorFrame, WelcomeFrame } from "../../src/wire/protocol";
import { type DevServer, startDevServer, temporaryDir } from "../support/dev-server";

const ROOT = new URL("../..", import.meta.url).pathname;
const SECRET = "token-script-test-secret-0123456789";
const dir = temporaryDir("edge-chat-token-");
const DEV_VARS = join(dir, ".dev.vars");
writeFileSync(DEV_VARS, `# as a developer would write it\nAUTH_SECRET="${SECRET}, an-older-secret"\n`);

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ vars: { AUTH_SECRET: SECRET } });
});

afterAll(async () => {
  await server?.stop();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script as `npm run token` does (node 22 strips the types), with `args` after `--`. */
async function token(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["scripts/token.ts", "--dev-vars", DEV_VARS, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** The printed token and room address. */
async function mint(...args: string[]): Promise<{ jwt: string; url: URL }> {
  const run = await token(...args);
  expect(run.stderr).not.toMatch(/usage/);
  const [jwt = "", url = ""] = run.stdout.trim().split("\n");
  return { jwt, url: new URL(url) };
}

/** The room's answer to a socket presenting `jwt`: its welcome, or why not. */
function firstFrame(room: string, jwt: string): Promise<WelcomeFrame | ErrorFrame> {
  const ws = new WebSocket(`${server.wsUrl}/chat/${room}?token=${jwt}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no frame within 10 s")), 10_000);
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as WelcomeFrame | ErrorFrame;
      // A granted role changes the room's state, which may be announced before the welcome.
      if (frame.type !== "welcome" && frame.type !== "error") return;
      clearTimeout(timer);
      ws.close();
      resolve(frame);
    });
    ws.on("error", reject);
  });
}

describe("npm run token", () => {
  it("prints a token the room accepts as app:<sub> with the token's name", async () => {
    const { jwt } = await mint("--sub", "42", "--name", "Alice");
    const welcome = await firstFrame("lobby", jwt);
    expect(welcome).toMatchObject({ type: "welcome", you: { uid: "app:42", name: "Alice" } });
    const { exp = 0 } = welcome as WelcomeFrame;
    expect(exp * 1000 - Date.now()).toBeGreaterThan(3500_000);
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it("prints the room's address with the token in the fragment, never in the path or query", async () => {
    const { jwt, url } = await mint("--sub", "42", "--origin", server.url);
    expect(`${url.origin}${url.pathname}${url.search}`).toBe(`${server.url}/chat/lobby`);
    expect(url.hash).toBe(`#token=${jwt}`);
  });

  it("limits the token to --room and opens a room it allows", async () => {
    const { jwt, url } = await mint("--sub", "7", "--room", "team-*");
    expect(url.pathname).toBe("/chat/team-lobby");
    expect(await firstFrame("team-blue", jwt)).toMatchObject({ type: "welcome", you: { uid: "app:7" } });
    expect(await firstFrame("elsewhere", jwt)).toMatchObject({ type: "error", code: "forbidden_room" });
  });

  it("grants --role in the room it names", async () => {
    const { jwt, url } = await mint("--sub", "mod-1", "--role", "team-7=moderator", "--ttl", "10m");
    expect(url.pathname).toBe("/chat/team-7");
    const welcome = await firstFrame("team-7", jwt);
    expect(welcome).toMatchObject({ type: "welcome", room: { moderators: ["app:mod-1"] } });
  });

  it("signs with the first secret: a server without it refuses the token", async () => {
    writeFileSync(join(dir, "other.vars"), "AUTH_SECRET=not-the-server-secret\n");
    const run = await token("--sub", "42", "--dev-vars", join(dir, "other.vars"));
    const jwt = run.stdout.split("\n")[0]!;
    expect(await firstFrame("lobby", jwt)).toMatchObject({ type: "error", code: "invalid_token" });
  });

  it.each([
    [["--name", "Alice"], /--sub is required/],
    [["--sub", "has space"], /--sub is required/],
    [["--sub", "42", "--ttl", "3d"], /longer than AUTH_MAX_TTL_SECONDS \(86400 s\)/],
    [["--sub", "42", "--ttl", "soon"], /--ttl soon: give a duration/],
    [["--sub", "42", "--role", "team-7=admin"], /--role team-7=admin: write/],
    [["--sub", "42", "--room", "no spaces"], /--room no spaces: not a room name/],
    [["--sub", "42", "--name", "🤖 Bot"], /--name .*not a display name/],
    [["--sub", "42", "--frobnicate"], /Unknown option '--frobnicate'/],
  ])("refuses %j with a clear error and no token", async (args, message) => {
    const run = await token(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it("says how to fix a missing .dev.vars or AUTH_SECRET", async () => {
    const missing = await token("--sub", "42", "--dev-vars", join(dir, "nothing-here"));
    expect(missing.stderr).toMatch(/not found: copy .dev.vars.example to .dev.vars and set AUTH_SECRET/);
    writeFileSync(join(dir, "empty.vars"), "PUSH_TOKEN=x\n# AUTH_SECRET=commented-out\n");
    const empty = await token("--sub", "42", "--dev-vars", join(dir, "empty.vars"));
    expect(empty).toMatchObject({ code: 2, stdout: "" });
    expect(empty.stderr).toMatch(/has no AUTH_SECRET/);
  });
});
