/**
 * @module
 * The worker's entry: the app (http/app.ts) and the two Durable Object classes, and nothing else,
 * since `wrangler dev` refuses a main module that exports anything more.
 */
import { app } from "./http/app";

export { RoomShard } from "./fanout/shard";
export { ChatRoom } from "./room/chat-room";

export default app satisfies ExportedHandler<Env>;
