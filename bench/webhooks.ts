/**
 * @module
 * What webhooks and the message hook cost (issue #19). `webhooks`: the saturate ladder against
 * the project with webhooks off and with every event posted to a local receiver, alternately in
 * the same run; the ceiling ratio is the cost. `hook`: the same ladder with a message hook that
 * answers every message after 50 ms, so a room holds only what overlapping hook calls allow.
 * The receiver is test/support/webhook-receiver.ts, verifying every signature.
 */
import { type ChildProcess, fork } from "node:child_process";
import { TEST_WEBHOOK_SECRET } from "../test/support/webhook-receiver.ts";
import type { Context, Scenario, Section } from "./scenario.ts";
import { ladder, SATURATE_STEPS } from "./scenarios.ts";
import { projectVariant, stopTargets, type Target } from "./targets.ts";

const HERE = new URL(".", import.meta.url).pathname;

interface Endpoint {
  port: number;
  summary(): Promise<{ posts: number; events: number; hookCalls: number; unsigned: number }>;
  close(): Promise<void>;
}

/** The receiver in its own process (bench/receiver.ts). */
async function receiver(hookDelayMs = 0): Promise<Endpoint> {
  const child: ChildProcess = fork(`${HERE}receiver.ts`, [String(hookDelayMs)], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the receiver exited with ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    port,
    summary: async () => (await fetch(`http://127.0.0.1:${port}/control/summary`)).json(),
    close: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

type Variant = [name: string, vars: (port: number) => Record<string, string>];

/** Runs the ladder over `variants` (each its own `wrangler dev`), the first one divided by the others. */
async function compare(c: Context, title: string, variants: Variant[], steps: number[], endpoint: Endpoint): Promise<Section[]> {
  const targets: Target[] = [];
  try {
    // One at a time: starting several wrangler dev at once on two cores can miss their start timeout.
    for (const [name, vars] of variants) targets.push(await projectVariant(name, vars(endpoint.port)));
    const columns = variants.map(([name]) => name);
    const sections = await ladder({ ...c, targets }, steps, title);
    return sections.map((section) => ({ ...section, columns }));
  } finally {
    await stopTargets(targets);
  }
}

const signed = (port: number, path: string) => ({ url: `http://127.0.0.1:${port}/${path}`, WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

const variants = (name: string, vars: Variant[1]): Variant[] => [
  [name, vars],
  [name === "hook-50ms" ? "no-hook" : "webhooks-off", () => ({})],
];

export const webhooks: Scenario = {
  name: "webhooks",
  summary: "saturate with every event posted to a local receiver vs webhooks off, same run",
  async run(c) {
    const endpoint = await receiver();
    try {
      const on = (port: number) => {
        const { url, ...secret } = signed(port, "events");
        return { WEBHOOK_URL: url, ...secret };
      };
      const sections = await compare(c, "webhooks", variants("webhooks-on", on), c.smoke ? [20] : SATURATE_STEPS, endpoint);
      const { posts, events, unsigned } = await endpoint.summary();
      const failures = unsigned > 0 ? [`webhooks: ${unsigned} requests with a bad signature`] : [];
      if (events === 0) failures.push("webhooks: the receiver got no events");
      const summary = { posts, events, eventsPerPost: Math.round((events / Math.max(1, posts)) * 10) / 10 };
      c.progress(`webhooks receiver: ${JSON.stringify(summary)}`);
      return [...sections, { title: "webhooks receiver", byTarget: { "webhooks-on": summary }, rounds: {}, failures, columns: ["webhooks-on"] }];
    } finally {
      await endpoint.close();
    }
  },
};

export const hook: Scenario = {
  name: "hook",
  summary: "saturate with a message hook answering in 50 ms (100 members, all sending)",
  async run(c) {
    const endpoint = await receiver(50);
    try {
      const withHook = (port: number) => {
        const { url, ...secret } = signed(port, "hook");
        return { MESSAGE_HOOK_URL: url, ...secret };
      };
      const steps = c.smoke ? [20] : [250, 500, 1000, 1500, 2000, 2400, 3200];
      const sections = await compare(c, "hook", variants("hook-50ms", withHook), steps, endpoint);
      const { hookCalls, unsigned } = await endpoint.summary();
      const failures = unsigned > 0 ? [`hook: ${unsigned} requests with a bad signature`] : [];
      if (hookCalls === 0) failures.push("hook: the hook was never called");
      return sections.map((section) => ({ ...section, failures: [...section.failures, ...failures] }));
    } finally {
      await endpoint.close();
    }
  },
};
