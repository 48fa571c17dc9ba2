/**
 * @module
 * What webhooks and the message hook cost (issue #19). `webhooks`: the saturate ladder against
 * the project with webhooks off and with every event posted to a local receiver, alternately in
 * the same run; the ceiling ratio is the cost. `hook`: the same ladder with a message hook that
 * answers every message after 50 ms, so a room holds only what overlapping hook calls allow.
 * The receiver is test/support/webhook-receiver.ts, verifying every signature.
 */
import { listen, Receiver, TEST_WEBHOOK_SECRET } from "../test/support/webhook-receiver.ts";
import type { Context, Scenario, Section } from "./scenario.ts";
import { ladder, SATURATE_STEPS } from "./scenarios.ts";
import { projectVariant, stopTargets, type Target } from "./targets.ts";

type Variant = [name: string, vars: (port: number) => Record<string, string>];

/** Runs the ladder over `variants` (each its own `wrangler dev`), the first one divided by the others. */
async function compare(c: Context, title: string, variants: Variant[], steps: number[], receiver: Receiver): Promise<Section[]> {
  const endpoint = await listen(receiver);
  const targets: Target[] = [];
  try {
    // One at a time: starting several wrangler dev at once on two cores can miss their start timeout.
    for (const [name, vars] of variants) targets.push(await projectVariant(name, vars(endpoint.port)));
    const columns = variants.map(([name]) => name);
    const sections = await ladder({ ...c, targets }, steps, title);
    return sections.map((section) => ({ ...section, columns }));
  } finally {
    await stopTargets(targets);
    await endpoint.close();
  }
}

const signed = (port: number, path: string) => ({ url: `http://127.0.0.1:${port}/${path}`, WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

export const webhooks: Scenario = {
  name: "webhooks",
  summary: "saturate with every event posted to a local receiver vs webhooks off, same run",
  async run(c) {
    const receiver = new Receiver();
    const on = (port: number) => {
      const { url, ...secret } = signed(port, "events");
      return { WEBHOOK_URL: url, ...secret };
    };
    const sections = await compare(
      c,
      "webhooks",
      [
        ["webhooks-on", on],
        ["webhooks-off", () => ({})],
      ],
      c.smoke ? [20] : SATURATE_STEPS,
      receiver,
    );
    const posts = [...receiver.attempts.values()].flat();
    const events = new Set(posts.flatMap((attempt) => attempt.events.map((event) => event.id))).size;
    const failures = receiver.unsigned > 0 ? [`webhooks: ${receiver.unsigned} requests with a bad signature`] : [];
    if (events === 0) failures.push("webhooks: the receiver got no events");
    const summary = { posts: posts.length, events, eventsPerPost: Math.round((events / Math.max(1, posts.length)) * 10) / 10 };
    c.progress(`webhooks receiver: ${JSON.stringify(summary)}`);
    return [...sections, { title: "webhooks receiver", byTarget: { "webhooks-on": summary }, rounds: {}, failures, columns: ["webhooks-on"] }];
  },
};

export const hook: Scenario = {
  name: "hook",
  summary: "saturate with a message hook answering in 50 ms (100 members, all sending)",
  async run(c) {
    const receiver = new Receiver({ hookDelayMs: 50 });
    const withHook = (port: number) => {
      const { url, ...secret } = signed(port, "hook");
      return { MESSAGE_HOOK_URL: url, ...secret };
    };
    const steps = c.smoke ? [20] : [250, 500, 1000, 1500, 2000, 2400, 3200];
    return compare(
      c,
      "hook",
      [
        ["hook-50ms", withHook],
        ["no-hook", () => ({})],
      ],
      steps,
      receiver,
    );
  },
};
