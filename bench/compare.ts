/**
 * @module
 * Runs the same measurement on every target in turn, A B C A B C, so the machine's drift over a
 * run (thermal, neighbours, GC) lands on all of them alike; then reduces the rounds to medians.
 */
import { median, round } from "./stats.ts";
import type { Target } from "./targets.ts";

export type ByTarget<T> = Partial<Record<string, T>>;

export async function alternate<T>(targets: Target[], rounds: number, measure: (target: Target, round: number) => Promise<T>): Promise<ByTarget<T[]>> {
  const results: ByTarget<T[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) (results[target.name] ??= []).push(await measure(target, round));
  }
  return results;
}

/** The median of every numeric field across rounds; other fields are taken from the first round. */
function medianOf<T extends object>(rounds: T[]): T {
  const first = rounds[0]!;
  const out = { ...first } as Record<string, unknown>;
  for (const [key, value] of Object.entries(first)) {
    if (typeof value === "number") out[key] = round(median(rounds.map((r) => (r as Record<string, number>)[key]!)));
  }
  return out as T;
}

export function mediansByTarget<T extends object>(results: ByTarget<T[]>): ByTarget<T> {
  return Object.fromEntries(Object.entries(results).map(([name, rounds]) => [name, medianOf(rounds as T[])]));
}
