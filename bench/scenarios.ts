/**
 * @module
 * The five scenarios of issue #6. Each returns sections (one table each) of per-target medians,
 * plus the failures a smoke run must not have.
 */

import { alternate, type ByTarget, mediansByTarget } from "./compare.ts";
import { machineBusyMs } from "./cpu.ts";
import { closeAll, connectMembers, Member, memberUrl, Recorder } from "./member.ts";
import { type Context, type Scenario, type Section, traffic } from "./scenario.ts";
import { percentile, round, sortedCopy } from "./stats.ts";
import type { Target } from "./targets.ts";
import { freshRoom, type RunSummary } from "./traffic.ts";

export const fanout: Scenario = {
  name: "fanout",
  summary: "1 room, 200 members, 10 senders at 5 msg/s each",
  run: async (c) => [
    await traffic(
      c,
      "fanout",
      c.smoke
        ? { rooms: 1, membersPerRoom: 4, sendersPerRoom: 2, ratePerSender: 5, seconds: 1 }
        : { rooms: 1, membersPerRoom: 200, sendersPerRoom: 10, ratePerSender: 5, seconds: 10 },
      "fanout",
    ),
  ],
};

export const rooms: Scenario = {
  name: "rooms",
  summary: "50 rooms of 10 members, 2 senders per room at 5 msg/s each",
  run: async (c) => [
    await traffic(
      c,
      "rooms",
      c.smoke
        ? { rooms: 2, membersPerRoom: 3, sendersPerRoom: 1, ratePerSender: 5, seconds: 1 }
        : { rooms: 50, membersPerRoom: 10, sendersPerRoom: 2, ratePerSender: 5, seconds: 10 },
      "rooms",
    ),
  ],
};

/** A step is held when at least 99% arrived and p99 stayed within 250 ms. */
function held(run: RunSummary): boolean {
  return run.deliveryRatio >= 0.99 && run.latencyP99 <= 250;
}

/** The saturate ladder's total rates, msg/s. */
export const SATURATE_STEPS = [100, 200, 400, 800, 1600, 2000, 2400, 3200, 4000];

export const saturate: Scenario = {
  name: "saturate",
  summary: "1 room, 100 members all sending; total rate 100→4000 msg/s until < 99% delivered or p99 > 250 ms",
  run: (c) => ladder(c, c.smoke ? [20] : SATURATE_STEPS, "saturate"),
};

/**
 * One room of 100 members (5 in a smoke run), all sending, at each total rate of `steps` while a
 * target holds it; the last section is each target's ceiling.
 */
export async function ladder(c: Context, steps: number[], title: string): Promise<Section[]> {
  {
    const members = c.smoke ? 5 : 100;
    const sections: Section[] = [];
    let alive = c.targets;
    const ceiling: Record<string, number> = Object.fromEntries(c.targets.map((t) => [t.name, 0]));
    for (const rate of steps) {
      if (alive.length === 0) break;
      const plan = { rooms: 1, membersPerRoom: members, sendersPerRoom: members, ratePerSender: rate / members, seconds: c.smoke ? 1 : 5 };
      const section = await traffic({ ...c, targets: alive }, `${title} ${rate} msg/s`, plan, title);
      sections.push(section);
      alive = alive.filter((target) => {
        const ok = held(section.byTarget[target.name] as unknown as RunSummary);
        if (ok) ceiling[target.name] = rate;
        return ok;
      });
    }
    const byTarget = Object.fromEntries(
      Object.entries(ceiling).map(([name, rate]) => [name, { ceilingMsgPerSecond: rate, ceilingDeliveriesPerSecond: rate * members }]),
    );
    sections.push({ title: `${title} ceiling (last step held)`, byTarget, rounds: {}, failures: [], columns: c.targets.map((t) => t.name) });
    return sections;
  }
}

/** What one storm measured: its members' connect-to-welcome times, and how long until the last welcome. */
export type StormRun = {
  members: number;
  connected: number;
  failures: number;
  connectP50: number;
  connectP99: number;
  connectMax: number;
  allWelcomedMs: number;
  /** CPU the server's processes spent from the first connect until every member had closed its socket. */
  serverCpuMs: number;
  /** CPU the whole machine spent meanwhile, every core and everyone's processes: how loaded the box was. */
  machineBusyMs: number;
};

/** `count` members connect at once to `target`, member i to `url(i)`, then all leave. */
export async function connectStorm(target: Pick<Target, "cpuMs">, url: (i: number) => string, count: number): Promise<StormRun> {
  const recorder = new Recorder();
  const cpuBefore = { server: target.cpuMs(), machine: machineBusyMs() };
  const start = performance.now();
  const members = await connectMembers(url, count, recorder, Infinity);
  const allMs = performance.now() - start;
  await closeAll(members);
  const connect = sortedCopy(recorder.connectMs);
  return {
    members: count,
    connected: connect.length,
    failures: count - connect.length,
    connectP50: round(percentile(connect, 50)),
    connectP99: round(percentile(connect, 99)),
    connectMax: round(percentile(connect, 100)),
    allWelcomedMs: round(allMs),
    serverCpuMs: round(target.cpuMs() - cpuBefore.server),
    machineBusyMs: round(machineBusyMs() - cpuBefore.machine),
  };
}

/** The storms of a scenario that did not all connect, as smoke-run failures. */
export function stormFailures(title: string, rounds: ByTarget<StormRun[]>): string[] {
  return Object.entries(rounds).flatMap(([name, runs]) => runs!.filter((r) => r.failures > 0).map((r) => `${title} / ${name}: ${r.failures} failed`));
}

export const storm: Scenario = {
  name: "storm",
  summary: "1000 members connect to one room at once",
  async run(c) {
    const count = c.smoke ? 10 : 1000;
    const rounds = await alternate(c.targets, c.rounds, async (target, n) => {
      const room = freshRoom("storm");
      const run = await connectStorm(target, (i) => memberUrl(target, room, `s${i}`), count);
      c.progress(`storm ${target.name} #${n + 1}: ${run.connected}/${count} connected, p99 ${run.connectP99} ms`);
      return run;
    });
    return [{ title: "storm", byTarget: mediansByTarget(rounds), rounds, failures: stormFailures("storm", rounds) }];
  },
};

/**
 * Sends `count` messages from one member and waits for all its acknowledgements. The writer is
 * returned still connected: a baseline keeps history in memory only, and a room with no socket
 * left may be evicted before the newcomers arrive.
 */
async function fill(target: Target, room: string, count: number): Promise<Member> {
  const recorder = new Recorder();
  const [writer] = await connectMembers(() => memberUrl(target, room, "filler"), 1, recorder);
  await writer!.welcomed;
  // All at once: 1000 is under the bench env's burst (2000), so the rate limit refuses none.
  for (let i = 0; i < count; i++) writer!.send();
  const deadline = performance.now() + 30_000;
  while (writer!.received < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (writer!.received < count) throw new Error(`fill ${target.name}: ${writer!.received}/${count} acknowledged`);
  return writer!;
}

/** One newcomer's connect-to-welcome time and the welcome's size. */
async function newcomer(target: Target, room: string): Promise<{ ms: number; bytes: number }> {
  const recorder = new Recorder();
  const member = new Member(memberUrl(target, room, "newcomer"), recorder);
  const bytes = (await member.welcomed).length;
  await member.close();
  return { ms: recorder.connectMs[0]!, bytes };
}

export const join: Scenario = {
  name: "join",
  summary: "a newcomer's welcome in a room with 1000 stored messages vs an empty room",
  async run(c) {
    const stored = c.smoke ? 20 : 1000;
    const samples = c.smoke ? 3 : 30;
    const rounds = await alternate(c.targets, c.rounds, async (target, n) => {
      const full = freshRoom("join-full");
      const writer = await fill(target, full, stored);
      const empty = freshRoom("join-empty");
      const e: number[] = [];
      const f: number[] = [];
      let bytes = 0;
      // Interleaved, so drift hits both rooms alike and neither object idles long enough to be evicted.
      for (let i = 0; i < samples; i++) {
        e.push((await newcomer(target, empty)).ms);
        const loaded = await newcomer(target, full);
        f.push(loaded.ms);
        bytes = loaded.bytes;
      }
      await writer.close();
      e.sort((a, b) => a - b);
      f.sort((a, b) => a - b);
      const run = {
        stored,
        emptyP50: round(percentile(e, 50)),
        emptyP99: round(percentile(e, 99)),
        fullP50: round(percentile(f, 50)),
        fullP99: round(percentile(f, 99)),
        fullOverEmptyP50: round(percentile(f, 50) / percentile(e, 50)),
        fullWelcomeBytes: bytes,
      };
      c.progress(`join ${target.name} #${n + 1}: empty p50 ${run.emptyP50} ms, full p50 ${run.fullP50} ms`);
      return run;
    });
    return [{ title: "join", byTarget: mediansByTarget(rounds), rounds, failures: [] }];
  },
};
