/**
 * @module
 * What a scenario is and what it reports: sections of per-target medians, and the failures a
 * smoke run must not have; plus the traffic run most scenarios are made of.
 */
import { alternate, type ByTarget, mediansByTarget } from "./compare.ts";
import type { Target } from "./targets.ts";
import { type RunSummary, runTraffic, type TrafficPlan } from "./traffic.ts";

type Metrics = Record<string, number | Record<string, number>>;

export interface Section {
  title: string;
  byTarget: ByTarget<Metrics>;
  /** Per target, everything every round measured (the medians above come from these). */
  rounds: ByTarget<Metrics[]>;
  /** What went wrong for the smoke check: missing deliveries, failed connects. */
  failures: string[];
  /** The table's columns, first divided by the others; the project and its baselines by default. */
  columns?: string[];
}

export interface Context {
  targets: Target[];
  smoke: boolean;
  rounds: number;
  progress(line: string): void;
}

export interface Scenario {
  name: string;
  summary: string;
  run(context: Context): Promise<Section[]>;
}

export function deliveryFailures(title: string, rounds: ByTarget<RunSummary[]>): string[] {
  return Object.entries(rounds).flatMap(([name, runs]) =>
    runs!
      .filter((run) => run.delivered < run.expected || run.connected < run.members || run.sent === 0)
      .map((run) => `${title} / ${name}: connected ${run.connected}/${run.members}, delivered ${run.delivered}/${run.expected}`),
  );
}

export async function traffic(context: Context, title: string, plan: TrafficPlan, prefix: string): Promise<Section> {
  const rounds = await alternate(context.targets, context.rounds, async (target, round) => {
    const run = await runTraffic(target, plan, prefix);
    context.progress(`${title} ${target.name} #${round + 1}: delivered ${run.delivered}/${run.expected}, p99 ${run.latencyP99} ms`);
    return run;
  });
  return { title, byTarget: mediansByTarget(rounds), rounds, failures: deliveryFailures(title, rounds) };
}
