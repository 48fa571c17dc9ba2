/**
 * The published package: `npm pack` of packages/client installs into an empty project and works
 * with one import (JavaScript and TypeScript under Node's own module resolution), and its
 * command line sends and tails a room.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer, temporaryDir } from "../support/dev-server";
import { client, freshRoom, PACKAGE_DIR } from "./client-support";
import { storedHistory } from "./reliability-support";

const TSC = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
let server: DevServer;
let project: string;

/**
 * Runs a command in the project and resolves with its output. Not `execFileSync`: a blocked event
 * loop misses the server closing an idle keep-alive socket, and the next `fetch` reuses it.
 */
function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { cwd: project, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(" ")}: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end(input ?? "");
  });
}

beforeAll(async () => {
  server = await startDevServer();
  const packed = temporaryDir("edge-chat-pack-");
  execFileSync("npm", ["pack", "--pack-destination", packed], { cwd: PACKAGE_DIR, stdio: "ignore" });
  const tarball = join(packed, readdirSync(packed).find((f) => f.endsWith(".tgz"))!);
  project = temporaryDir("edge-chat-project-");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "empty", private: true, type: "module" }));
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball]);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe("the packed library", () => {
  it("installs with no dependency and ships only its build", () => {
    const installed = readdirSync(join(project, "node_modules")).filter((f) => !f.startsWith("."));
    expect(installed).toEqual(["@edge-chat"]);
    const files = readdirSync(join(project, "node_modules/@edge-chat/client"), { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("connects and sends with one import", async () => {
    const room = freshRoom("pack");
    writeFileSync(
      join(project, "main.mjs"),
      `import { connect } from "@edge-chat/client";
const room = connect({ url: process.argv[2], room: process.argv[3], name: "packed" });
const message = await room.send("from the tarball");
console.log(JSON.stringify({ id: message.id, you: (await room.ready).you.name }));
room.close();`,
    );
    const out = JSON.parse(await run("node", ["main.mjs", server.url, room])) as { id: number; you: string };
    expect(out.you).toBe("packed");
    expect(await storedHistory(server.url, room)).toEqual([expect.objectContaining({ id: out.id, text: "from the tarball" })]);
  });

  it("type-checks a TypeScript user under Node's module resolution, without the repository's sources", async () => {
    writeFileSync(
      join(project, "use.ts"),
      `import { connect, RoomError, type MessageFrame, type StateEvent } from "@edge-chat/client";
const room = connect({ url: "https://chat.example", room: "lobby", token: async () => "t" });
room.on("message", (m: MessageFrame) => m.text.toUpperCase());
room.on("state", (s: StateEvent) => s.reason);
const id: Promise<number> = room.send("hi", { replyTo: 1 }).then((m) => m.id);
export { id, RoomError };
// @ts-expect-error: not an event of the room
room.on("nonsense", () => {});`,
    );
    const config = {
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: [], strict: true, noEmit: true },
      files: ["use.ts"],
    };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(config));
    await expect(run("node", [TSC, "-p", "."])).resolves.toBe("");
  });
});

describe("the command line", () => {
  const cli = () => join(project, "node_modules/.bin/edge-chat");

  it("sends each line of stdin and exits once every one is acknowledged, printing their ids", async () => {
    const room = freshRoom("cli-send");
    const out = await run(cli(), ["send", `${server.url}/chat/${room}`, "--name", "ci"], "first line\n\nsecond line\n");
    const stored = await storedHistory(server.url, room);
    expect(stored.map((m) => [m.text, m.from.name])).toEqual([
      ["first line", "ci"],
      ["second line", "ci"],
    ]);
    expect(out.trim().split("\n").map(Number)).toEqual(stored.map((m) => m.id));
  });

  it("sends the text given as arguments", async () => {
    const room = freshRoom("cli-arg");
    await run(cli(), ["send", `${server.url}/chat/${room}`, "deploy", "done"]);
    expect((await storedHistory(server.url, room)).map((m) => m.text)).toEqual(["deploy done"]);
  });

  it("tails a room as JSON lines: its recent history, then new messages", async () => {
    const room = freshRoom("cli-tail");
    const ana = client(server.url, room, "ana");
    try {
      await ana.send("already here");
      const tail = spawn(cli(), ["tail", `${server.url}/chat/${room}`, "--json"], { cwd: project, stdio: ["ignore", "pipe", "inherit"] });
      const lines = createInterface({ input: tail.stdout })[Symbol.asyncIterator]();
      const next = async () => JSON.parse(((await lines.next()).value as string) ?? "null") as { type: string; text: string; id: number };
      expect(await next()).toMatchObject({ type: "message", text: "already here" });
      const sent = await ana.send("new one");
      expect(await next()).toMatchObject({ type: "message", text: "new one", id: sent.id });
      const exited = new Promise<number | null>((resolve) => tail.once("exit", resolve));
      tail.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      ana.close();
    }
  });

  it("explains its usage and fails on a URL that is not a room's", async () => {
    await expect(run(cli(), ["send", `${server.url}/nowhere`, "x"])).rejects.toThrow(/not a room URL/);
    expect(await run(cli(), ["--help"])).toMatch(/edge-chat tail <room URL>/);
  });
});
