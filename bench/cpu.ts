/**
 * @module
 * CPU time of a server's processes, read from /proc: the profile that needs no change to the room.
 * CPU ms per message, project vs the broadcast-only DO, is the cost of the room's own work
 * (validation, SQLite, JSON) on top of the runtime's; the load generator's own share shows whether
 * the client side was the bottleneck.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** utime + stime, in ms, of every live process in process group `pgid` (Linux only; 0 elsewhere). */
export function groupCpuMs(pgid: number): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the ")" that ends the command name: state ppid pgrp ... utime(14) stime(15).
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** This process's own CPU time, in ms. */
export function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time the whole machine spent busy (all cores, everyone's processes), in ms. */
export function machineBusyMs(): number {
  try {
    const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
    const busy = ticks.slice(0, 8).reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + t), 0);
    return (busy * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Waits (at most `maxMs`) until the machine is nearly idle: a server still working off the last
 * run's backlog, or its members' departures, would otherwise be measured as the next run's noise.
 */
export async function quiet(maxMs = 10_000, cores = 0.25, windowMs = 250): Promise<void> {
  for (const deadline = performance.now() + maxMs; performance.now() < deadline; ) {
    const before = machineBusyMs();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    if (machineBusyMs() - before <= cores * windowMs) return;
  }
}
