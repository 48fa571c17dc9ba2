/**
 * @module
 * Roles the app's tokens grant, shown in the room's state next to the roles given inside the room.
 * A grant lasts while its holder has a socket whose token carries it; a refresh without it takes
 * it back.
 */
import type { RoomState } from "../wire/moderation-frames";
import type { GrantedRole } from "./claims";

export interface Grant {
  uid: string;
  role: GrantedRole;
}

/**
 * The room's state with the app's grants: the owner stays the room's own when it has one (a
 * granted owner then is listed with the moderators, and still ranks as an owner); granted
 * moderators follow the room's own, by arrival.
 */
export function withGrants(state: RoomState, grants: Iterable<Grant>): RoomState {
  let { owner } = state;
  const moderators = [...state.moderators];
  for (const { uid, role } of grants) {
    if (uid === owner || moderators.includes(uid)) continue;
    if (role === "owner" && owner === null) owner = uid;
    else moderators.push(uid);
  }
  return { ...state, owner, moderators };
}
