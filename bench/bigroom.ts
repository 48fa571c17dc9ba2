/**
 * @module
 * The bigroom scenario: one room of thousands of members, held by a single object or spread over
 * fan-out objects at a few SHARD_MEMBERS values. Each layout is its own `wrangler dev` of the
 * project; they run alternately like every scenario. Locally one workerd process runs every
 * object on one thread, so spreading cannot add capacity here: this measures what the spread
 * costs (the extra hop, the extra objects), and docs/scale.md projects it onto Cloudflare's
 * network, where each object has a thread of its own.
 */
import { alternate, mediansByTarget } from "./compare.ts";
import { deliveryFailures, type Scenario } from "./scenario.ts";
import { projectVariant, stopTargets, type Target } from "./targets.ts";
import { freshRoom, runTraffic } from "./traffic.ts";

/**
 * As many members as this machine holds: `wrangler dev`'s front workerd process needs 4 file
 * descriptors per socket (measured: 4,093 for 1,000 sockets), and the sandbox caps a process at
 * 20,000 (`ulimit -Hn`, not raisable here), so ~4,900 is the ceiling; 5,000 fails to connect.
 */
const MEMBERS = 4500;

/** SHARD_MEMBERS per layout; the first holds the whole room in one object. */
const LAYOUTS = { full: { single: 100_000, "shard-2500": 2500, "shard-1000": 1000 }, smoke: { single: 100_000, "shard-10": 10 } };

export const bigroom: Scenario = {
  name: "bigroom",
  summary: `1 room of ${MEMBERS} members, 2 senders at 1 msg/s: one object vs fan-out objects (SHARD_MEMBERS 2500, 1000)`,
  async run(c) {
    const members = c.smoke ? 30 : MEMBERS;
    const layouts = Object.entries(c.smoke ? LAYOUTS.smoke : LAYOUTS.full);
    const targets: Target[] = [];
    try {
      // One at a time: starting several wrangler dev at once on two cores can miss their start timeout.
      for (const [name, shardMembers] of layouts) targets.push(await projectVariant(name, { SHARD_MEMBERS: String(shardMembers) }));
      const rounds = await alternate(targets, c.rounds, async (target, n) => {
        const room = freshRoom("bigroom");
        // 2 msg/s to 4,500 members is 9,000 frames/s: within what one object sends here, so
        // latency shows the hop rather than a queue.
        const plan = { rooms: 1, membersPerRoom: members, sendersPerRoom: 2, ratePerSender: 1, seconds: c.smoke ? 2 : 15, room };
        const run = await runTraffic(target, plan, "bigroom", () => spread(target, room, members, Number(layouts.find(([name]) => name === target.name)![1])));
        c.progress(`bigroom ${target.name} #${n + 1}: delivered ${run.delivered}/${run.expected}, p99 ${run.latencyP99} ms, objects ${run.objects}`);
        return run;
      });
      const title = `bigroom (${members} members)`;
      return [{ title, byTarget: mediansByTarget(rounds), rounds, failures: deliveryFailures(title, rounds), columns: layouts.map(([name]) => name) }];
    } catch (error) {
      // These servers live only inside this scenario: show what they said before they go.
      for (const target of targets) c.progress(`${target.name} said, last:\n${target.output().slice(-3000)}`);
      throw error;
    } finally {
      await stopTargets(targets);
    }
  },
};

/**
 * Objects holding the room (1 + the fan-out objects the API reports), and the busiest one's share
 * of the sockets: by placement the room's own object fills first, then each fan-out object.
 */
async function spread(target: Target, room: string, members: number, shardMembers: number): Promise<{ objects: number; busiestShare: number }> {
  const response = await fetch(`${target.wsUrl.replace(/^ws/, "http")}/api/rooms/${room}`);
  const { shards } = (await response.json()) as { shards: number };
  return { objects: 1 + shards, busiestShare: Math.min(members, shardMembers) / members };
}
