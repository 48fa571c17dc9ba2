/**
 * @module
 * The test receiver (test/support/webhook-receiver.ts) in a process of its own, so verifying and
 * recording thousands of deliveries does not slow the load generator: `node bench/receiver.ts
 * [hookDelayMs]` prints `listening <port>`; GET /control/summary answers its counts.
 */
import { listen, Receiver } from "../test/support/webhook-receiver.ts";

const endpoint = await listen(new Receiver({ hookDelayMs: Number(process.argv[2] ?? 0) }));
console.log(`listening ${endpoint.port}`);
