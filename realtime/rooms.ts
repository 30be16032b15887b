/** Room names and who may be in them. */

/** Every connection, signed in or not, may be in the public room. */
export const PUBLIC_ROOM = "public";
/** Shop-wide events for managers. */
export const MANAGERS_ROOM = "managers";

/** A member's private room. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The rooms a connection may be in: public, its own user room, and managers for managers. */
export function allowedRooms(user: { id: string; role: string } | undefined): string[] {
  if (!user) return [PUBLIC_ROOM];
  const rooms = [PUBLIC_ROOM, userRoom(user.id)];
  if (user.role === "manager") rooms.push(MANAGERS_ROOM);
  return rooms;
}

/**
 * The room of every socket opened with one session (its id is the token's hash). Server-side only: it is
 * never in `allowedRooms`, so no client can `join` it; ending the session disconnects the room.
 */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * Events for the servers themselves (page cache invalidation): no socket is ever in this room, so it is
 * never sent to a browser; each instance's dispatcher still hands its events to its subscribers.
 */
export const INTERNAL_ROOM = "internal";
