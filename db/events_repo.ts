/**
 * The outbox. Business transactions append events with a plain INSERT (no lock): each row
 * carries the writing transaction's id (`xid8`) and the time it was written. Events get their
 * public id, a position, from a publisher (`publishEvents`) that runs in its own short
 * transaction, serialised by a lock on `event_positions` that business transactions never take:
 *
 * 1. under `LOCK TABLE event_positions IN SHARE ROW EXCLUSIVE MODE`, a REPEATABLE READ snapshot
 *    sees every event committed so far;
 * 2. every committed event without a position gets the next positions, in row-id order;
 * 3. the horizon moves to the snapshot's xmin: a transaction older than that has ended, so every
 *    event with `xid` below it is published, and the next run only looks at newer ones.
 *
 * Positions therefore become visible as a gap-free prefix: a dispatcher or a client that has seen
 * position N can never be handed an event below N later, whatever order transactions commit in.
 * Page snapshots (`readWithCursor`) publish inside their own snapshot, so "the data as of this
 * page" and "every event after position N" never overlap and never leave a gap.
 *
 * Lock order of every money path: see LOCK_ORDER.md.
 */
import type { Db } from "./db.ts";
import {
  checkEventPayload,
  type EventPayload,
  type EventType,
  type LiveEventOf,
  type NewEvent,
} from "../realtime/events.ts";

/** NOTIFY channel that wakes the dispatchers after a commit. */
export const EVENTS_CHANNEL = "events";

/** A live event as stored: `{ id, type, at, data }` plus the rooms it goes to, typed by the event map. */
export type StoredEvent<T extends EventType = EventType> = {
  [K in T]: {
    /** The event's position (its public id). */
    id: string;
    type: K;
    rooms: string[];
    data: EventPayload<K>;
    at: Date;
  };
}[T];

/** The event as clients receive it. */
export type LiveEvent<T extends EventType = EventType> = LiveEventOf<T>;

/** Maps a stored event to the wire shape. */
export function toLiveEvent(e: StoredEvent): LiveEvent {
  return { id: Number(e.id), type: e.type, at: new Date(e.at).toISOString(), data: e.data } as LiveEvent;
}

function checkEvent(event: { type: string; rooms: readonly string[]; data: unknown }): void {
  if (event.rooms.some((r) => r.includes(","))) {
    throw new Error("Cannot append event: room names may not contain commas");
  }
  checkEventPayload(event.type, event.data);
}

/**
 * Appends an event of one type of the event map (realtime/events.ts) to the outbox inside the caller's
 * transaction, for these rooms. Takes no lock; the NOTIFY (one per transaction: PostgreSQL folds
 * identical notifications) wakes the dispatchers at commit. Throws when the payload lacks a key its
 * type requires.
 */
export async function appendEvent<T extends EventType>(
  tx: Db,
  type: T,
  data: EventPayload<T>,
  rooms: readonly string[],
): Promise<void> {
  checkEvent({ type, rooms, data });
  await tx.query(
    `WITH e AS (INSERT INTO events (type, rooms, data) VALUES ($1, string_to_array($2, ','), $3::text::jsonb))
     SELECT pg_notify('${EVENTS_CHANNEL}', '')`,
    [type, rooms.join(","), JSON.stringify(data)],
  );
}

/** Appends several events in one statement (same rules as `appendEvent`). */
export async function appendEvents(tx: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (const e of events) checkEvent(e);
  await tx.query(
    `WITH e AS (INSERT INTO events (type, rooms, data)
                SELECT x.type, x.rooms, x.data FROM jsonb_to_recordset($1::text::jsonb) AS x(type text, rooms text[], data jsonb, ord int)
                 ORDER BY x.ord)
     SELECT pg_notify('${EVENTS_CHANNEL}', '')`,
    [JSON.stringify(events.map((e, ord) => ({ ...e, ord })))],
  );
}

const PUBLISH_SQL = `
  WITH horizon AS (SELECT horizon FROM event_publication),
  fresh AS (
    SELECT e.id FROM events e, horizon h
     WHERE e.xid >= h.horizon AND NOT EXISTS (SELECT 1 FROM event_positions p WHERE p.event_id = e.id)
  ),
  base AS (SELECT coalesce(max(pos), 0) AS b FROM event_positions),
  published AS (
    INSERT INTO event_positions (pos, event_id)
    SELECT base.b + row_number() OVER (ORDER BY fresh.id), fresh.id FROM fresh, base
    RETURNING pos
  ),
  moved AS (
    UPDATE event_publication SET horizon = pg_snapshot_xmin(pg_current_snapshot())
     WHERE horizon <> pg_snapshot_xmin(pg_current_snapshot())
  )
  SELECT (SELECT count(*) FROM published)::int AS n,
         greatest((SELECT max(pos) FROM published), (SELECT b FROM base))::text AS last`;

/**
 * Publishes inside `tx`, which must be a REPEATABLE READ transaction whose first statement took
 * the publication lock. Returns the newest position.
 */
async function publishIn(tx: Db, origin = ""): Promise<{ published: number; last: number }> {
  const [row] = await tx.query<{ n: number; last: string }>(PUBLISH_SQL);
  if (row.n > 0) await tx.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, publishedBy(origin)]);
  return { published: row.n, last: Number(row.last) };
}

async function beginPublication(tx: Db): Promise<void> {
  await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  await tx.query("LOCK TABLE event_positions IN SHARE ROW EXCLUSIVE MODE");
}

/** The NOTIFY payload of a publication by `origin` (a dispatcher skips its own). */
export function publishedBy(origin: string): string {
  return origin ? `published:${origin}` : "published";
}

/**
 * Gives every committed event a position, in one short transaction; waits its turn while another
 * publisher holds the lock. `origin` marks the NOTIFY it sends, so the dispatcher that published
 * does not wake itself. Returns how many events it published.
 */
export async function publishEvents(db: Db, origin = ""): Promise<number> {
  return await db.transaction(async (tx) => {
    await beginPublication(tx);
    return (await publishIn(tx, origin)).published;
  });
}

/**
 * Runs `fn` in one REPEATABLE READ snapshot together with the position of the newest event that
 * snapshot includes: a page renders the data and hands `lastEventId` to its island, which then
 * receives exactly the events that happened after the data it shows. Keep `fn` short: publishing
 * waits while it runs.
 */
export async function readWithCursor<T>(db: Db, fn: (tx: Db, lastEventId: number) => Promise<T>): Promise<T> {
  return await db.transaction(async (tx) => {
    await beginPublication(tx);
    const { last } = await publishIn(tx);
    return await fn(tx, last);
  });
}

/** Events after position `afterId` (exclusive) up to `untilId` (inclusive), optionally only for some rooms. */
export async function eventsAfter(
  db: Db,
  afterId: number,
  options: { untilId?: number; rooms?: string[]; limit?: number } = {},
): Promise<StoredEvent[]> {
  const params: unknown[] = [afterId, options.untilId ?? Number.MAX_SAFE_INTEGER, options.limit ?? 500];
  let roomFilter = "";
  if (options.rooms) {
    params.push(options.rooms.join(","));
    roomFilter = `AND e.rooms && string_to_array($4, ',')`;
  }
  return await db.query<StoredEvent>(
    `SELECT p.pos::text AS id, e.type, e.rooms, e.data, e.at
       FROM event_positions p JOIN events e ON e.id = p.event_id
      WHERE p.pos > $1 AND p.pos <= $2 ${roomFilter} ORDER BY p.pos LIMIT $3`,
    params,
  );
}

/** The newest published position (0 when there is none). */
export async function latestEventId(db: Db): Promise<number> {
  const [row] = await db.query<{ id: string | null }>("SELECT max(pos)::text AS id FROM event_positions");
  return row.id === null ? 0 : Number(row.id);
}
