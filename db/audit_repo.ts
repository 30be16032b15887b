import type { Db } from "./db.ts";

/** One audit entry to append. */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  target: string;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends an audit entry (the table refuses updates and deletes). */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.query(
    "INSERT INTO audit_log (actor_id, action, target, ip, before, after) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb)",
    [
      entry.actorId,
      entry.action,
      entry.target,
      entry.ip ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}

/** Audit entries, newest first, filtered by actor and/or action. */
export async function listAudit(
  db: Db,
  filter: { actor?: string; action?: string; limit: number; offset: number },
) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.actor) {
    params.push(filter.actor);
    where.push(`actor_id = $${params.length}`);
  }
  if (filter.action) {
    params.push(filter.action);
    where.push(`action = $${params.length}`);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM audit_log ${clause}`,
    params,
  );
  const rows = await db.query<
    {
      id: string;
      actor_id: string | null;
      action: string;
      target: string;
      ip: string | null;
      before: unknown;
      after: unknown;
      at: Date;
    }
  >(
    `SELECT id, actor_id, action, target, ip, before, after, at FROM audit_log ${clause}
      ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filter.limit, filter.offset],
  );
  return {
    total,
    items: rows.map((r) => ({
      id: String(r.id),
      actorId: r.actor_id === null ? null : String(r.actor_id),
      action: r.action,
      target: r.target,
      ip: r.ip,
      before: r.before,
      after: r.after,
      at: new Date(r.at).toISOString(),
    })),
  };
}
