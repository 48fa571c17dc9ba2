/**
 * @module
 * One measured run of chat traffic against one target: connect the members of some rooms, let
 * some of them send at a fixed rate, wait for the deliveries to drain, and summarise.
 */
import { machineBusyMs, quiet, selfCpuMs } from "./cpu.ts";
import { closeAll, connectMembers, type Member, memberUrl, Recorder } from "./member.ts";
import { percentile, round, sortedCopy } from "./stats.ts";
import type { Target } from "./targets.ts";

export interface TrafficPlan {
  rooms: number;
  membersPerRoom: number;
  sendersPerRoom: number;
  /** Messages per second per sender. */
  ratePerSender: number;
  seconds: number;
  /** Names the room of a one-room plan, so the scenario can ask the server about it. */
  room?: string;
  /** Every this many messages of a sender carries a file it uploaded before sending (bench/files.ts). */
  filesEvery?: number;
}

/** The metrics of one run; every number is a plain JSON number. */
// A type, not an interface, so it fits the generic Metrics record.
export type RunSummary = {
  connected: number;
  members: number;
  connectP50: number;
  connectP99: number;
  sent: number;
  delivered: number;
  expected: number;
  /** delivered / expected. */
  deliveryRatio: number;
  deliveriesPerSecond: number;
  latencyP50: number;
  latencyP95: number;
  latencyP99: number;
  latencyMax: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Server CPU (all its processes) while sending and draining, per message sent. */
  serverCpuMsPerMessage: number;
  /** The same per message delivered to one member, in µs. */
  serverCpuUsPerDelivery: number;
  /** Server CPU over that window / wall time: 1 = one core busy. */
  serverCores: number;
  /** The load generator's own CPU over the same window / wall time. */
  generatorCores: number;
  /** Everything else the machine ran meanwhile (other users, idle targets), in cores: the noise. */
  otherCores: number;
};

const TICK_MS = 10;
/** How long the deliveries may stall after sending ends before the run counts what it has. */
const DRAIN_IDLE_MS = 2000;
const DRAIN_MAX_MS = 15_000;

let runs = 0;

/** A member's secret, so its uploads and its socket are one person. */
function memberKey(i: number): string {
  return `bench-${process.pid}-${runs}-member-${i}`.padEnd(16, "x");
}

/**
 * Uploads, before the clock starts, the files each sender will attach: one per `every` messages
 * it is due to send. The uploads are not what is measured; the messages carrying them are.
 */
async function uploadAttachments(target: Target, members: Member[], rooms: string[], plan: TrafficPlan, every: number, recorder: Recorder): Promise<void> {
  const origin = target.wsUrl.replace(/^ws/, "http");
  const perSender = Math.ceil((plan.ratePerSender * plan.seconds) / every) + 1;
  const jobs = members.flatMap((member, i) => {
    if (Math.floor(i / plan.rooms) >= plan.sendersPerRoom || !member.open) return [];
    member.filesEvery = every;
    return Array.from({ length: perSender }, () => async () => {
      const form = new FormData();
      form.set("file", new File([BENCH_PNG], "bench.png"));
      const response = await fetch(`${origin}/api/rooms/${rooms[i % plan.rooms]}/files?key=${memberKey(i)}`, { method: "POST", body: form });
      const body = (await response.json()) as { file?: { id: string } };
      // A refused upload shows as an error: its messages would go without files.
      if (body.file) member.attachments.push(body.file.id);
      else recorder.error(`upload ${response.status}`);
    });
  });
  for (let at = 0; at < jobs.length; at += 20) await Promise.all(jobs.slice(at, at + 20).map((job) => job()));
  // The local bucket writes its files behind the answers: let that settle before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** The smallest PNG header the room takes as an image (1x1); the bytes do not matter here. */
const BENCH_PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);

/** A room name no earlier run used, so every run starts from a fresh Durable Object. */
export function freshRoom(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++runs}`;
}

/** CPU use of the server and of this process over one window. */
interface CpuWindow {
  serverMs: number;
  selfMs: number;
  machineMs: number;
  wallMs: number;
}

function summarise(recorder: Recorder, members: number, sent: number, expected: number, cpu: CpuWindow): RunSummary {
  const latencies = sortedCopy(recorder.latencies);
  const connect = sortedCopy(recorder.connectMs);
  const delivered = latencies.length;
  const span = (recorder.lastDeliveryAt - recorder.firstSendAt) / 1000;
  return {
    connected: connect.length,
    members,
    connectP50: round(percentile(connect, 50)),
    connectP99: round(percentile(connect, 99)),
    sent,
    delivered,
    expected,
    deliveryRatio: round(expected === 0 ? 1 : delivered / expected),
    deliveriesPerSecond: round(span > 0 ? delivered / span : 0),
    latencyP50: round(percentile(latencies, 50)),
    latencyP95: round(percentile(latencies, 95)),
    latencyP99: round(percentile(latencies, 99)),
    latencyMax: round(percentile(latencies, 100)),
    errors: recorder.errors,
    errorKinds: recorder.errorKinds,
    serverCpuMsPerMessage: round(sent > 0 ? cpu.serverMs / sent : 0),
    serverCpuUsPerDelivery: round(delivered > 0 ? (cpu.serverMs * 1000) / delivered : 0),
    serverCores: round(cpu.serverMs / cpu.wallMs),
    generatorCores: round(cpu.selfMs / cpu.wallMs),
    otherCores: round(Math.max(0, cpu.machineMs - cpu.serverMs - cpu.selfMs) / cpu.wallMs),
  };
}

/** Sends at a steady rate: each tick, every sender catches up to `rate × elapsed` messages. */
async function sendFor(senders: Member[], rate: number, seconds: number): Promise<void> {
  const start = performance.now();
  const total = Math.round(rate * seconds);
  // Senders start at staggered phases so a room's messages don't all leave in the same tick.
  const phase = senders.map((_, i) => i / senders.length / rate);
  while (true) {
    const elapsed = (performance.now() - start) / 1000;
    let pending = false;
    senders.forEach((sender, i) => {
      const due = Math.min(total, Math.floor((elapsed - phase[i]!) * rate) + 1);
      while (sender.sent < due && sender.open) sender.send();
      if (sender.sent < total && sender.open) pending = true;
    });
    if (!pending) return;
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}

async function drain(recorder: Recorder, expected: number): Promise<void> {
  const start = performance.now();
  let seen = -1;
  let changedAt = start;
  while (recorder.latencies.length < expected && performance.now() - start < DRAIN_MAX_MS) {
    if (recorder.latencies.length !== seen) {
      seen = recorder.latencies.length;
      changedAt = performance.now();
    } else if (performance.now() - changedAt > DRAIN_IDLE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `connected` measures more, once every member is in and before anyone sends; it joins the summary. */
export async function runTraffic<T extends Record<string, number> = Record<never, number>>(
  target: Target,
  plan: TrafficPlan,
  prefix: string,
  connected?: () => Promise<T>,
): Promise<RunSummary & T> {
  await quiet();
  const recorder = new Recorder();
  const names = plan.room ? [plan.room] : Array.from({ length: plan.rooms }, () => freshRoom(prefix));
  const total = plan.rooms * plan.membersPerRoom;
  const keyed = plan.filesEvery !== undefined;
  const urlOf = (i: number) => memberUrl(target, names[i % plan.rooms]!, `m${i}`) + (keyed ? `&key=${memberKey(i)}` : "");
  const members = await connectMembers(urlOf, total, recorder);
  try {
    // Member i is in room i % rooms; the first `sendersPerRoom` of each room send.
    const senders = members.filter((m, i) => Math.floor(i / plan.rooms) < plan.sendersPerRoom && m.open);
    // Counted before sending: a member dropped mid-run shows as missing deliveries, not fewer expected.
    const inRoom = names.map((_, room) => members.filter((m, i) => i % plan.rooms === room && m.open).length);
    if (plan.filesEvery) await uploadAttachments(target, members, names, plan, plan.filesEvery, recorder);
    const extra = await connected?.();
    const before = { serverMs: target.cpuMs(), selfMs: selfCpuMs(), machineMs: machineBusyMs(), wallMs: performance.now() };
    await sendFor(senders, plan.ratePerSender, plan.seconds);
    let expected = 0;
    for (const [i, m] of members.entries()) expected += m.sent * inRoom[i % plan.rooms]!;
    await drain(recorder, expected);
    // The window ends at the last delivery, not after the drain's idle wait.
    const end = Math.max(recorder.lastDeliveryAt, before.wallMs + 1);
    const cpu = {
      serverMs: target.cpuMs() - before.serverMs,
      selfMs: selfCpuMs() - before.selfMs,
      machineMs: machineBusyMs() - before.machineMs,
      wallMs: end - before.wallMs,
    };
    const sent = senders.reduce((sum, m) => sum + m.sent, 0);
    return { ...summarise(recorder, total, sent, expected, cpu), ...(extra as T) };
  } finally {
    await closeAll(members);
  }
}
