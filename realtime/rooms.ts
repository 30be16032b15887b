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
