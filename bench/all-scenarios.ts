/**
 * @module
 * Every scenario `bench/run.ts` knows, in the order it runs them. A list of its own so that a
 * scenario module may build on another (the webhooks ladder on saturate's) without a circle.
 */
import { bigroom } from "./bigroom.ts";
import { files } from "./files.ts";
import type { Scenario } from "./scenario.ts";
import { fanout, join, rooms, saturate, storm } from "./scenarios.ts";
import { search } from "./search.ts";
import { tokens } from "./tokens.ts";
import { hook, webhooks } from "./webhooks.ts";

export const SCENARIOS: Scenario[] = [fanout, rooms, saturate, storm, tokens, join, bigroom, webhooks, hook, files, search];
