import type { Db } from "./db.ts";
import { SHOP_TIME_ZONE } from "../domain/shop_time.ts";
import { likeContains } from "../lib/text.ts";
import { orderByClause, type SortColumn } from "./list_order.ts";

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

/** The columns the audit log sorts by: time (the id's order), action, actor name (the system last), target. */
export const AUDIT_SORTS = ["time", "action", "actor", "target"] as const;
/** A sort key of the audit log. */
export type AuditSort = (typeof AUDIT_SORTS)[number];
const AUDIT_SORT_COLUMNS: Record<AuditSort, SortColumn> = {
  time: "a.id",
  action: "a.action",
  actor: { sql: "u.name", nullable: true },
  target: "a.target",
};

/** What the audit log can be searched by. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  /** Part of the target ("product:12", "user:", "analytics"). */
  target?: string;
  /** From / to this day inclusive (YYYY-MM-DD in `timeZone`). */
  from?: string;
  to?: string;
  timeZone?: string;
  /** The column to sort by and its direction (newest first when not given). */
  sort?: AuditSort;
  dir?: "asc" | "desc";
  limit: number;
  offset: number;
}

/**
 * Audit entries, newest first or by an allow-listed column, filtered by actor, action, target and day; with
 * the actor's name and email.
 */
export async function listAudit(db: Db, filter: AuditFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.actor) where.push(`a.actor_id = ${param(filter.actor)}`);
  if (filter.action) where.push(`a.action = ${param(filter.action)}`);
  if (filter.target) where.push(`a.target ILIKE ${param(likeContains(filter.target))}`);
  const tz = filter.from || filter.to ? param(filter.timeZone ?? SHOP_TIME_ZONE) : "";
  if (filter.from) where.push(`a.at >= (${param(filter.from)}::date::timestamp AT TIME ZONE ${tz})`);
  if (filter.to) where.push(`a.at < ((${param(filter.to)}::date + 1)::timestamp AT TIME ZONE ${tz})`);
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM audit_log a ${clause}`,
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
      actor_name: string | null;
      actor_email: string | null;
    }
  >(
    `SELECT a.id, a.actor_id, a.action, a.target, a.ip, a.before, a.after, a.at, u.name AS actor_name, u.email AS actor_email
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ${clause}
      ${orderByClause(AUDIT_SORT_COLUMNS, filter.sort ?? "time", filter.dir ?? "desc", "a.id")}
      LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
    params,
  );
  return {
    total,
    items: rows.map((r) => ({
      id: String(r.id),
      actorId: r.actor_id === null ? null : String(r.actor_id),
      actorName: r.actor_name,
      actorEmail: r.actor_email,
      action: r.action,
      target: r.target,
      ip: r.ip,
      before: r.before,
      after: r.after,
      at: new Date(r.at).toISOString(),
    })),
  };
}

/** The actions the log holds, for the search form. */
export async function auditActions(db: Db): Promise<string[]> {
  return (await db.query<{ action: string }>("SELECT DISTINCT action FROM audit_log ORDER BY action")).map((r) =>
    r.action
  );
}
