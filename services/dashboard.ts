import type { Db } from "../db/db.ts";
import { readWithCursor } from "../db/events_repo.ts";
import { countProducts } from "../db/products_repo.ts";
import { appConfig } from "../fresh.config.ts";

/**
 * The manager home's member snapshot, read in one repeatable-read transaction together with the
 * newest event id, so the live island resumes exactly after what the snapshot includes.
 */
export async function memberSnapshot(db: Db, newest = 8) {
  return await readWithCursor(db, async (tx, lastEventId) => {
    const [counts] = await tx.query<{ today: number; total: number }>(
      `SELECT count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1)::int AS today,
              count(*)::int AS total
         FROM users`,
      [appConfig.timeZone],
    );
    const rows = await tx.query<{ id: string; name: string; upline_id: string | null; created_at: Date }>(
      "SELECT id, name, upline_id, created_at FROM users ORDER BY id DESC LIMIT $1",
      [newest],
    );
    const products = await countProducts(tx);
    return {
      lastEventId,
      today: counts.today,
      total: counts.total,
      products,
      newest: rows.map((r) => ({
        id: String(r.id),
        name: r.name,
        uplineId: r.upline_id === null ? null : String(r.upline_id),
        joinedAt: new Date(r.created_at).toISOString(),
      })),
    };
  });
}
