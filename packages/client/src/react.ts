/**
 * @module
 * React hooks for the common case: `useRoom` connects while the component is mounted, the others
 * read what the room handle has seen and re-render when it changes.
 *
 *     const room = useRoom({ url: "https://chat.example", room: "lobby", name });
 *     const messages = useMessages(room);
 */
import { useEffect, useState, useSyncExternalStore } from "react";
import type { Member, MessageFrame, Sender } from "../../../src/wire/protocol";
import { connect } from "./index";
import type { Room } from "./room";
import type { ConnectOptions, StateEvent } from "./types";

/**
 * A room handle for as long as the component is mounted; a new one when `url`, `room`, `name` or
 * `key` change (the token may change freely: the function form renews it without reconnecting).
 * `undefined` on the first render and on the server.
 */
export function useRoom(options: ConnectOptions): Room | undefined {
  const [room, setRoom] = useState<Room>();
  const { url, room: name, name: displayName, key } = options;
  // The other options belong to the connection they were given to: a new one only for a new room or person.
  // biome-ignore lint/correctness/useExhaustiveDependencies: options is read once per room and person
  useEffect(() => {
    const handle = connect(options);
    setRoom(handle);
    return () => handle.close();
  }, [url, name, displayName, key]);
  return room;
}

const NOTHING: readonly never[] = [];
const CONNECTING: StateEvent = { state: "connecting" };
const noop = () => () => undefined;

function useRoomValue<T>(room: Room | undefined, read: (room: Room) => T, fallback: T): T {
  return useSyncExternalStore(
    room ? (listener) => room.subscribe(listener) : noop,
    () => (room ? read(room) : fallback),
    () => fallback,
  );
}

/** The room's messages, oldest first, each in its latest state. */
export function useMessages(room: Room | undefined): readonly MessageFrame[] {
  return useRoomValue(room, (r) => r.messages, NOTHING);
}

/** The people in the room, by arrival. */
export function useMembers(room: Room | undefined): readonly Member[] {
  return useRoomValue(room, (r) => r.members, NOTHING);
}

/** Who is typing now (someone counts for 5 s after their last keystroke, or until their message). */
export function useTyping(room: Room | undefined): readonly Sender[] {
  return useRoomValue(room, (r) => r.typists, NOTHING);
}

/** connecting, open, reconnecting or closed, with the reason. */
export function useRoomState(room: Room | undefined): StateEvent {
  return useRoomValue(room, (r) => r.state, CONNECTING);
}
