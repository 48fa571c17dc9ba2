/**
 * @module
 * The command line: `edge-chat tail <room URL>` prints the room's messages as they come;
 * `edge-chat send <room URL> [text]` sends the text, or each line of stdin, and exits once every
 * one is acknowledged. For bots, CI jobs and operators.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { MessageFrame } from "../../../src/wire/protocol";
import { connect, parseRoomUrl } from "./index";
import type { Room } from "./room";
import type { StateEvent } from "./types";

const USAGE = `usage:
  edge-chat tail <room URL> [--json] [--name NAME] [--key KEY] [--token TOKEN]
  edge-chat send <room URL> [text] [--json] [--name NAME] [--key KEY] [--token TOKEN] [--timeout SECONDS]

  tail   prints the room's recent and new messages (one JSON object a line with --json)
  send   sends the text, or each line of stdin, and exits once the room stored every one
  --key  your secret (16-128 of A-Z a-z 0-9 - _), or EDGE_CHAT_KEY: the same person every time
  --token  the app's token, or EDGE_CHAT_TOKEN
  --timeout  how long send waits for the room (default 60)`;

const OPTIONS = {
  json: { type: "boolean" },
  name: { type: "string" },
  key: { type: "string" },
  token: { type: "string" },
  timeout: { type: "string", default: "60" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, roomUrl, ...words] = positionals;
  if (values.help || !roomUrl || (command !== "tail" && command !== "send")) return fail(USAGE, values.help ? 0 : 2);
  const room = connect({
    ...parseRoomUrl(roomUrl),
    name: values.name,
    key: values.key ?? process.env.EDGE_CHAT_KEY,
    token: values.token ?? process.env.EDGE_CHAT_TOKEN,
  });
  room.on("error", (error) => process.stderr.write(`room: ${error.code}: ${error.message}\n`));
  if (command === "tail") return tail(room, values.json === true);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) return fail("--timeout takes a number of seconds", 2);
  return send(room, words.length ? [words.join(" ")] : stdinLines(), values.json === true, timeout);
}

function tail(room: Room, json: boolean): Promise<number> {
  const print = (frame: object) => process.stdout.write(`${JSON.stringify(frame)}\n`);
  room.on("message", (message) => (json ? print(message) : process.stdout.write(`${line(message)}\n`)));
  if (json) room.on("update", print);
  process.once("SIGINT", () => room.close());
  return new Promise((resolve) =>
    room.on("state", (state) => {
      if (state.state === "reconnecting") process.stderr.write(`reconnecting${state.reason ? ` (${state.reason})` : ""}\n`);
      if (state.state === "closed") resolve(state.reason === "closed" ? 0 : fail(closedWhy(state), 1));
    }),
  );
}

async function send(room: Room, texts: AsyncIterable<string> | string[], json: boolean, timeoutSeconds: number): Promise<number> {
  const timer = setTimeout(() => {
    process.stderr.write(`no answer from the room within ${timeoutSeconds} s\n`);
    room.close();
  }, timeoutSeconds * 1000);
  const sent: Promise<boolean>[] = [];
  for await (const text of texts) {
    if (text.trim() === "") continue;
    sent.push(
      room.send(text).then(
        (message) => {
          process.stdout.write(`${json ? JSON.stringify(message) : message.id}\n`);
          return true;
        },
        (error: { code: string }) => {
          process.stderr.write(`not sent (${error.code}): ${text}\n`);
          return false;
        },
      ),
    );
  }
  const results = await Promise.all(sent);
  clearTimeout(timer);
  room.close();
  return results.every(Boolean) ? 0 : 1;
}

async function* stdinLines(): AsyncIterable<string> {
  yield* createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
}

function line(message: MessageFrame): string {
  const time = new Date(message.ts).toISOString().slice(11, 19);
  const text = message.deleted ? "(deleted)" : message.text;
  return `${time} ${message.from.name}${message.from.bot ? " [bot]" : ""}: ${text}`;
}

function closedWhy(state: StateEvent): string {
  return `closed: ${state.reason}${state.detail ? ` (${state.detail})` : ""}`;
}

function fail(text: string, code: number): number {
  (code === 0 ? process.stdout : process.stderr).write(`${text}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(fail(String(error instanceof Error ? error.message : error), 2)),
);
