/**
 * @module
 * What search costs and how fast it answers (issue #22). Two variants of the project run side by
 * side: the index on (the default) and `SEARCH_INDEX=off`. Each gets one room filled with the
 * same 100,000 messages (English sentences and Chinese ones, from a fixed seed); then the indexed
 * room answers a word query, a two-word query and a two-character Chinese query, one at a time, and
 * the two rooms' database sizes give the index's bytes per stored message. Last, the saturate
 * ladder runs against both, alternately: the ceiling ratio is what indexing costs a busy room.
 *
 * Query times are HTTP round trips (worker, RPC, object, JSON), an upper bound on the object's own
 * time: workerd's clock does not move while an object runs, so the object cannot time itself. The
 * room's info route, which does no work in the object, is timed the same way as the floor.
 */
import WebSocket from "ws";
import type { Scenario, Section } from "./scenario.ts";
import { ladder } from "./scenarios.ts";
import { percentile, round, sortedCopy } from "./stats.ts";
import { projectVariant, stopTargets, type Target } from "./targets.ts";
import { freshRoom } from "./traffic.ts";

const ON = "search-on";
const OFF = "search-off";
/**
 * One connection, at most 50 messages unacknowledged: a closed loop that slows down with the room.
 * Ten open-loop fillers offered more than the room's ceiling, and past its ceiling a room falls far
 * below it (its queue grows faster than it drains), so a 100,000-message fill took hours.
 */
const IN_FLIGHT = 50;
/** Per 20 ms tick: 900 msg/s, under the bench env's 1000/s per connection. */
const PER_TICK = 18;
const PROGRESS_EVERY = 10_000;
/**
 * Saturate's steps are 25% apart near the top, too coarse to tell a 10% cost: these are 10% apart
 * from 1200 msg/s. The first step, far below either ceiling, warms both servers up.
 */
const STEPS = [800, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 2600, 2800, 3200];
/**
 * Near the top, one round in a few collapses for either variant (a 2-core box shared by the room,
 * wrangler and 100 members): with three rounds a step's median is a round's, not the mean with
 * an outlier.
 */
const LADDER_ROUNDS = 3;

const ENGLISH = (
  "the a to and of in is it for on that this with you we be are was have not at but can deploy build test release " +
  "server client page room message search index query bug fix issue review merge branch commit meeting lunch coffee " +
  "today tomorrow yesterday week morning night team project plan design doc note link file image report update " +
  "failed passed green red slow fast cache database storage network latency error warning ticket customer support"
).split(" ");
const CHINESE = (
  "你好 我们 今天 明天 工作 问题 时间 朋友 电脑 手机 会议 项目 文件 发布 测试 服务 客户 数据 网络 搜索 " +
  "消息 房间 图片 报告 更新 失败 成功 速度 缓存 存储 延迟 错误 警告 设计 文档 计划 团队 早上 晚上 咖啡"
).split(" ");
const QUERIES: [name: string, q: string][] = [
  ["word", "deploy"],
  ["twoWords", "deploy failed"],
  ["chinese2", "项目"],
];

/** A small fixed-seed generator, so both rooms hold the same texts run after run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function texts(count: number): string[] {
  const next = random(22);
  const pick = (list: string[]) => list[Math.floor(next() * list.length)]!;
  return Array.from({ length: count }, () => {
    if (next() < 0.3) return Array.from({ length: 4 + Math.floor(next() * 8) }, () => pick(CHINESE)).join("");
    return Array.from({ length: 5 + Math.floor(next() * 11) }, () => pick(ENGLISH)).join(" ");
  });
}

const httpUrl = (target: Target) => target.wsUrl.replace(/^ws/, "http");

/** Stores `list` in `room` in order over one connection; resolves with how many were stored. */
function filler(target: Target, room: string, list: string[], progress: (line: string) => void): Promise<number> {
  const ws = new WebSocket(`${target.wsUrl}/chat/${room}?name=filler&batch=1`, { perMessageDeflate: false });
  let next = 0;
  let acked = 0;
  const open = new Set<string>();
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const give = () => {
      if (timer) clearInterval(timer);
      ws.close(1000);
      resolve(acked);
    };
    ws.once("error", reject);
    ws.on("message", (data: Buffer) => {
      const text = data.toString();
      if (timer === undefined && text.includes('"type":"welcome"')) {
        timer = setInterval(() => {
          for (let i = 0; i < PER_TICK && open.size < IN_FLIGHT && next < list.length; i++, next++) {
            const nonce = `f-${next}`;
            open.add(nonce);
            ws.send(JSON.stringify({ type: "message", text: list[next], nonce }));
          }
        }, 20);
      }
      const frame = JSON.parse(text) as { type: string; frames?: { type: string; nonce?: string }[]; nonce?: string };
      for (const part of frame.frames ?? [frame]) {
        // A refusal (a rate limit) counts as not stored: the fill then fails instead of hiding it.
        if (part.nonce !== undefined && open.delete(part.nonce) && part.type === "message" && ++acked % PROGRESS_EVERY === 0) {
          progress(`search: ${target.name} stored ${acked} of ${list.length}`);
        }
      }
      if (next === list.length && open.size === 0) give();
    });
  });
}

/** Stores `list` in `room`; fails unless every message was stored. */
async function fill(target: Target, room: string, list: string[], progress: (line: string) => void): Promise<number> {
  const started = performance.now();
  const stored = await filler(target, room, list, progress);
  if (stored < list.length) throw new Error(`search fill ${target.name}: ${stored}/${list.length} stored`);
  return round((list.length / (performance.now() - started)) * 1000);
}

async function timed(url: string): Promise<{ ms: number; body: unknown }> {
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - start, body };
}

async function p95s(url: () => string, samples: number): Promise<{ p50: number; p95: number; body: unknown }> {
  const ms: number[] = [];
  let body: unknown;
  for (let i = 0; i < samples; i++) ({ ms: ms[i]!, body } = await timed(url()));
  const sorted = sortedCopy(ms);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), body };
}

async function queries(on: Target, room: string, samples: number): Promise<Record<string, number>> {
  const base = `${httpUrl(on)}/api/rooms/${room}`;
  const floor = await p95s(() => base, samples);
  const out: Record<string, number> = { roundTripFloorP50: floor.p50, roundTripFloorP95: floor.p95 };
  for (const [name, q] of QUERIES) {
    const result = await p95s(() => `${base}/search?q=${encodeURIComponent(q)}`, samples);
    out[`${name}P50`] = result.p50;
    out[`${name}P95`] = result.p95;
    out[`${name}Hits`] = (result.body as { messages: unknown[] }).messages.length;
  }
  return out;
}

async function storageBytes(target: Target, room: string): Promise<number> {
  return ((await timed(`${httpUrl(target)}/api/rooms/${room}`)).body as { storageBytes: number }).storageBytes;
}

export const search: Scenario = {
  name: "search",
  summary: "100,000 stored messages: word and 2-character Chinese query p50/p95, index bytes per message; saturate ceiling with the index on vs off",
  async run(c) {
    const stored = c.smoke ? 300 : 100_000;
    const list = texts(stored);
    const targets: Target[] = [];
    try {
      // One at a time: starting several wrangler dev at once on two cores can miss their start timeout.
      targets.push(await projectVariant(ON, {}), await projectVariant(OFF, { SEARCH_INDEX: "off" }));
      const [on, off] = targets as [Target, Target];
      const rooms = { on: freshRoom("search"), off: freshRoom("search") };
      const fillOn = await fill(on, rooms.on, list, c.progress);
      const fillOff = await fill(off, rooms.off, list, c.progress);
      c.progress(`search: filled ${stored} messages (${fillOn} msg/s indexed, ${fillOff} msg/s not)`);
      const found = await queries(on, rooms.on, c.smoke ? 5 : 200);
      const [bytesOn, bytesOff] = [await storageBytes(on, rooms.on), await storageBytes(off, rooms.off)];
      const sizes = {
        stored,
        bytesWithIndex: bytesOn,
        bytesWithout: bytesOff,
        indexBytesPerMessage: round((bytesOn - bytesOff) / stored),
        roomBytesPerMessage: round(bytesOn / stored),
      };
      c.progress(`search: ${JSON.stringify({ ...found, ...sizes })}`);
      const failures = QUERIES.filter(([name]) => found[`${name}Hits`] === 0).map(([name]) => `search: the ${name} query found nothing`);
      const measured: Section = {
        title: `search in a room of ${stored} messages`,
        byTarget: { [ON]: { ...found, ...sizes, fillMsgPerSecond: fillOn }, [OFF]: { fillMsgPerSecond: fillOff, bytesWithout: bytesOff } },
        rounds: {},
        failures,
        columns: [ON, OFF],
      };
      const sections = await ladder({ ...c, targets, rounds: c.smoke ? c.rounds : Math.max(LADDER_ROUNDS, c.rounds) }, c.smoke ? [20] : STEPS, "search");
      return [measured, ...sections.map((section) => ({ ...section, columns: [ON, OFF] }))];
    } finally {
      await stopTargets(targets);
    }
  },
};
