/**
 * @module
 * The room's capabilities, built once per object and wired to each other: who holds the sockets,
 * where writes are committed and delivered, who hears of them. The room object (chat-room.ts)
 * dispatches to these; nothing here knows about a particular frame.
 */
import { type Config, readConfig } from "../config";
import { Delivery } from "../delivery/delivery";
import type { Outgoing } from "../delivery/outgoing";
import { FanOut } from "../fanout/fanout";
import { Files } from "../files/files";
import { readFileConfig } from "../files/rules";
import { History } from "../messages/history";
import { Messages } from "../messages/messages";
import { Moderation } from "../moderation/moderation";
import { Search, searchIndexOn } from "../search/search";
import { shardName } from "../sockets/handoff";
import type { Seat } from "../sockets/members";
import { Members } from "../sockets/members";
import type { GrantedRole } from "../tokens/claims";
import { MessageHook } from "../webhooks/hook";
import { readHookSettings, readWebhookSettings } from "../webhooks/settings";
import { Webhooks } from "../webhooks/webhooks";
import { errorFrame, type Refusal, type ServerFrame } from "../wire/protocol";
import { RoomAlarm } from "./alarm";
import { Intake } from "./intake";
import { mergePresence, Presence } from "./presence";

/** Who holds an open socket of the room, in whichever object. */
type RoomSeat = Seat & { address?: string; role?: GrantedRole };
/** A seat given up; `counted` is false for a socket this wake of the object did not know (members.ts). */
export type Departure = Seat & { counted?: boolean; role?: GrantedRole };

export interface RoomParts {
  readonly config: Config;
  readonly history: History;
  readonly files: Files;
  readonly search: Search;
  readonly members: Members;
  readonly fanout: FanOut;
  readonly presence: Presence;
  readonly delivery: Delivery;
  readonly messages: Messages;
  readonly moderation: Moderation;
  readonly intake: Intake;
  readonly webhooks: Webhooks;
  readonly hook: MessageHook;
  readonly alarms: RoomAlarm;
  /** Every open socket of the room, in every object. */
  seats(): RoomSeat[];
  /** A frame for everyone (or `to` one connection, or all `except` one) at the next flush, in order. */
  broadcast(frame: ServerFrame, options?: Omit<Outgoing, "data">): void;
  /** A refusal to one member, in order with everything else it is sent. */
  tell(memberId: string, refusal: Refusal): void;
  /** Once the flush has committed a delete, its files' bytes go from R2 (their URLs 404 already). */
  purgeFiles(): void;
  /** The app's grants changed: everyone gets the room's state when it differs. */
  regranted(): void;
}

/** Builds the room's parts; `depart` is the room's handling of a socket the delivery dismissed. */
export function assemble(ctx: DurableObjectState, env: Env, depart: (seat: Departure | undefined) => void): RoomParts {
  const config = readConfig(env);
  const room = ctx.id.name ?? ctx.id.toString();
  const files = new Files(ctx.storage.sql, env.FILES, room, readFileConfig(env));
  const search = new Search(ctx.storage.sql, searchIndexOn(env));
  const history = new History(ctx.storage.sql, files.store, search);
  files.migrate();
  search.migrate();
  const members = Members.open(ctx, config);
  const transaction = <T>(fn: () => T): T => ctx.storage.transactionSync(fn);
  const alarms: RoomAlarm = new RoomAlarm(ctx.storage, (now) => webhooks.due(now));
  const webhooks = new Webhooks(ctx.storage.sql, readWebhookSettings(env), { room, transaction, wake: (at) => alarms.wake(at) });
  const fanout = new FanOut(ctx.storage.sql, config, (index) => env.SHARDS.getByName(shardName(ctx.id.name!, index)));
  const seats = (): RoomSeat[] => [...members.list(), ...fanout.seats()];
  const delivery = new Delivery(
    {
      recipients: () => members.recipients(),
      transaction,
      coalesce: mergePresence,
      latestId: () => (fanout.size > 0 ? history.latestId() : 0),
      fanOut: (batch) => fanout.forward(batch),
      audience: () => Math.max(members.size, fanout.largest),
      dismiss: (dismissal) => {
        for (const seat of members.dismiss(dismissal)) depart(seat);
      },
    },
    config.coalesceSendsPerSecond,
  );
  const broadcast = (frame: ServerFrame, options: Omit<Outgoing, "data"> = {}) => delivery.enqueue({ data: JSON.stringify(frame), ...options });
  const tell = (memberId: string, refusal: Refusal) => broadcast(errorFrame(refusal), { to: memberId });
  const purgeFiles = () => void delivery.flushed().then(() => files.purge());
  const presence = new Presence(
    config.rosterLimit,
    seats(),
    (entry) => delivery.enqueue(entry),
    (type, member) => {
      const write = webhooks.person(type === "join" ? "member.joined" : "member.left", member);
      if (write) delivery.enqueue(write);
    },
  );
  const moderation = new Moderation(
    ctx.storage.sql,
    history,
    {
      present: (uid) => presence.roster.has(uid),
      name: (uid) => presence.roster.nameOf(uid),
      addresses: (uid) => seats().flatMap(({ member, address }) => (member.uid === uid && address ? [address] : [])),
      grants: () => seats().flatMap(({ member, role }) => (role ? [{ uid: member.uid, role }] : [])),
    },
    webhooks.record,
  );
  const messages = new Messages(history, delivery, config.maxHistory, (from, now) => moderation.holdsBackPost(from, now), webhooks.record, files);
  const hook = new MessageHook(readHookSettings(env), room, config.maxMessageChars);
  const intake = new Intake(config.ingressPerSecond, config.ingressBurst, {
    history,
    messages,
    moderation,
    delivery,
    hook,
    journal: webhooks.record,
    tell,
    deleted: purgeFiles,
  });
  const regranted = () => {
    const frame = moderation.regranted();
    if (frame) delivery.enqueue(frame);
  };
  return {
    config,
    history,
    files,
    search,
    members,
    fanout,
    presence,
    delivery,
    messages,
    moderation,
    intake,
    webhooks,
    hook,
    alarms,
    seats,
    broadcast,
    tell,
    purgeFiles,
    regranted,
  };
}
