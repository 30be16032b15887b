import type { Db } from "./db.ts";

/** Advisory lock that orders outbox inserts, so ids become visible in increasing order. */
const OUTBOX_LOCK = 727_002;
/** NOTIFY channel that wakes the dispatchers after a commit. */
export const EVENTS_CHANNEL = "events";

/** A live event as stored and as sent: `{ id, type, at, data }` plus the rooms it goes to. */
export interface StoredEvent {
  id: string;
  type: string;
  rooms: string[];
  data: Record<string, unknown>;
  at: Date;
}

/** The event as clients receive it. */
export interface LiveEvent {
  id: number;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/** Maps a stored event to the wire shape. */
export function toLiveEvent(e: StoredEvent): LiveEvent {
  return { id: Number(e.id), type: e.type, at: new Date(e.at).toISOString(), data: e.data };
}

/**
 * Takes the outbox lock for the rest of the transaction. Anything that also locks rows other
 * event writers touch (ledger accounts) takes this lock first, so every transaction acquires
 * them in the same order and none can deadlock another.
 */
export async function lockOutbox(tx: Db): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [OUTBOX_LOCK]);
}

/**
 * Appends an event to the outbox inside the caller's transaction. Call it at the end of the
 * transaction: it takes the outbox lock, which is held until commit.
 */
export async function appendEvent(
  tx: Db,
  event: { type: string; rooms: string[]; data: Record<string, unknown> },
): Promise<string> {
  if (event.rooms.some((r) => r.includes(","))) {
    throw new Error("Cannot append event: room names may not contain commas");
  }
  await lockOutbox(tx);
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO events (type, rooms, data) VALUES ($1, string_to_array($2, ','), $3::text::jsonb) RETURNING id",
    [event.type, event.rooms.join(","), JSON.stringify(event.data)],
  );
  await tx.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, String(row.id)]);
  return String(row.id);
}

/** Events after `afterId` (exclusive) up to `untilId` (inclusive), optionally only for some rooms. */
export async function eventsAfter(
  db: Db,
  afterId: number,
  options: { untilId?: number; rooms?: string[]; limit?: number } = {},
): Promise<StoredEvent[]> {
  const params: unknown[] = [afterId, options.untilId ?? Number.MAX_SAFE_INTEGER, options.limit ?? 500];
  let roomFilter = "";
  if (options.rooms) {
    params.push(options.rooms.join(","));
    roomFilter = `AND rooms && string_to_array($4, ',')`;
  }
  return await db.query<StoredEvent>(
    `SELECT id, type, rooms, data, at FROM events WHERE id > $1 AND id <= $2 ${roomFilter} ORDER BY id LIMIT $3`,
    params,
  );
}

/** The newest event id (0 when there is none). */
export async function latestEventId(db: Db): Promise<number> {
  const [row] = await db.query<{ id: string | null }>("SELECT max(id) AS id FROM events");
  return row.id === null ? 0 : Number(row.id);
}
