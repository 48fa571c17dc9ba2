/**
 * Helpers for the moderation tests: people with keys, their actions answered by nonce, the
 * operator API, and a room that already has an owner, a moderator and a member.
 */
import { expect } from "vitest";
import { newSecret } from "../src/identity/identity";
import type { BansFrame, ModerationFrame, RoomFrame } from "../src/wire/moderation-frames";
import type { ErrorFrame, MessageFrame, UpdateFrame, WelcomeFrame } from "../src/wire/protocol";
import { type Answer, answer, type Client, connect, request, roomName } from "./helpers";

const MODERATION_TOKEN = "test-moderation-token"; // vitest.config.ts binds MODERATION_TOKEN to this

/** A person in a room: their connection, uid and key (to come back as the same person). */
export interface Person {
  client: Client;
  uid: string;
  key: string;
}

/** Joins as the person holding `key`; from the client address `ip` when given (else one of its own). */
export async function arrive(room: string, name: string, key = newSecret(), ip?: string): Promise<Person> {
  const client = await connect(room, `?${new URLSearchParams({ name, key })}`, ip === undefined ? {} : { "cf-connecting-ip": ip });
  await client.welcome();
  return { client, uid: welcomeOf(client).you.uid, key };
}

export function welcomeOf(client: Client): WelcomeFrame {
  return client.frames.find((f): f is WelcomeFrame => f.type === "welcome")!;
}

function expectType<K extends Answer["type"]>(frame: Answer, type: K): Extract<Answer, { type: K }> {
  expect(frame.type, JSON.stringify(frame)).toBe(type);
  return frame as Extract<Answer, { type: K }>;
}

/** Sends a moderation frame and returns the actor's copy of its announcement. */
export async function act(client: Client, frame: Record<string, unknown>): Promise<ModerationFrame> {
  return expectType(await answer(client, frame), "moderation");
}

/** Asks for the bans (`{"type":"bans"}`); returns the list, or the refusal. */
export function listBans(client: Client): Promise<BansFrame | ErrorFrame> {
  const nonce = crypto.randomUUID();
  client.send({ type: "bans", nonce });
  return client.until(
    () => client.frames.find((f): f is BansFrame | ErrorFrame => (f.type === "bans" || f.type === "error") && f.nonce === nonce),
    3000,
    "the list of bans",
  );
}

/** The bans in force, as a moderator is told them. */
export async function bansOf(client: Client): Promise<BansFrame> {
  const answer = await listBans(client);
  expect(answer.type, JSON.stringify(answer)).toBe("bans");
  return answer as BansFrame;
}

/** Sends a frame that must be refused; returns the error. */
export async function refusal(client: Client, frame: Record<string, unknown>): Promise<ErrorFrame> {
  return expectType(await answer(client, frame), "error");
}

export async function post(client: Client, text: string): Promise<MessageFrame> {
  return expectType(await answer(client, { type: "message", text }), "message");
}

export async function change(client: Client, frame: Record<string, unknown>): Promise<UpdateFrame> {
  return expectType(await answer(client, frame), "update");
}

/** The latest `room` frame a client got, or its welcome's state. */
export function roomState(client: Client): Omit<RoomFrame, "type"> {
  const latest = client.ofType("room").at(-1);
  if (!latest) return welcomeOf(client).room;
  const { type: _type, ...state } = latest;
  return state;
}

/** A new room whose owner claimed it, with a moderator the owner promoted and a plain member. */
export async function staffedRoom(): Promise<{ room: string; owner: Person; moderator: Person; member: Person }> {
  const room = roomName("mod");
  const owner = await arrive(room, "olive");
  await act(owner.client, { type: "claim" });
  const moderator = await arrive(room, "max");
  await act(owner.client, { type: "promote", uid: moderator.uid });
  await moderator.client.until(() => roomState(moderator.client).moderators.includes(moderator.uid), 3000, "the promotion");
  const member = await arrive(room, "mia");
  return { room, owner, moderator, member };
}

/** A connection the room refuses at the door: what it was told, and how it was closed. */
export async function turnedAway(
  room: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<{ error: ErrorFrame; closed: { code: number; reason: string } }> {
  const client = await connect(room, `?name=again&key=${key}`, headers);
  const closed = await client.until(() => client.closed, 3000, "the close");
  expect(client.ofType("welcome")).toEqual([]);
  return { error: client.ofType("error")[0]!, closed };
}

/** `POST /api/rooms/<room>/moderation`. */
export function operate(room: string, body: unknown, token: string | null = MODERATION_TOKEN): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return request(`/api/rooms/${room}/moderation`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** `GET /api/rooms/<room>/audit`. */
export function audit(room: string, query = "", token: string | null = MODERATION_TOKEN): Promise<Response> {
  return request(`/api/rooms/${room}/audit${query}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
}
