import Big from "big.js";
import { type Rank, RANKS } from "../domain/commission/ranks.ts";
import type { Db } from "../db/db.ts";
import { storedMessage } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { appendEvent } from "../db/events_repo.ts";
import {
  type DistributorPeriods,
  distributorPeriods,
  distributorTags,
  dropPercent,
  type MonthFigures,
  netSales,
  refundRate,
  salesDrop,
} from "../domain/analytics/tags.ts";
import { money } from "../domain/money.ts";
import { can, staffRoleOf } from "../domain/permissions.ts";
import { maskContact } from "../domain/pii.ts";
import { MANAGERS_ROOM } from "../realtime/rooms.ts";
import { appConfig } from "../fresh.config.ts";
import { shopDay } from "../domain/shop_time.ts";
import { MAX_TIERS } from "../domain/referral.ts";
import { orderByClause, type SortColumn } from "../db/list_order.ts";
import { likeContains } from "../lib/text.ts";

interface FigureRow {
  id: string;
  name: string;
  rank: Rank;
  members: number;
  g3: string;
  r3: string;
  g2: string;
  r2: string;
  g1: string;
  r1: string;
  g0: string;
  r0: string;
  cur: string;
  prev: string;
}

/** The columns the distributors list sorts by. */
export const DISTRIBUTOR_SORTS = ["thisMonth", "lastMonth", "members", "rank", "name"] as const;
/** A sort key of the distributors list. */
export type DistributorSort = (typeof DISTRIBUTOR_SORTS)[number];
const DISTRIBUTOR_SORT_COLUMNS: Record<DistributorSort, SortColumn> = {
  thisMonth: "(coalesce(f.g0, 0) - coalesce(f.r0, 0))",
  lastMonth: "(coalesce(f.g1, 0) - coalesce(f.r1, 0))",
  members: "members",
  rank: `CASE u.rank ${RANKS.map((r, i) => `WHEN '${r}' THEN ${i}`).join(" ")} END`,
  name: "u.name",
};

/** Which distributors' figures to read: one by id, or a filtered, sorted page (all when no limit). */
interface FigureQuery {
  id?: string;
  /** Part of the name, or the member id. */
  q?: string;
  rank?: Rank;
  sort?: DistributorSort;
  dir?: "asc" | "desc";
  limit?: number;
  offset?: number;
  /** Only those whose like-for-like sales fell (the candidates of the drop alert, which the domain decides). */
  fell?: boolean;
}

/**
 * Every distributor's team figures (downline at depth 1–3 through `referral_paths`), a filtered and
 * sorted page of them, or one distributor's: gross paid sales and approved refunds per month for the
 * three complete months and this month so far, refunds counted in the month the refunded order was paid;
 * and net sales over the drop alert's like-for-like day ranges. Distributors are members with the role or
 * a team. Each row carries how many rows match in all (`total`).
 */
async function teamFigures(
  db: Db,
  periods: DistributorPeriods,
  now: Date,
  query: FigureQuery = {},
): Promise<(FigureRow & { total: number })[]> {
  const [m3, m2, m1, m0] = periods.months;
  const { current, previous } = periods.drop;
  const id = query.id;
  const one = id !== undefined;
  const params: unknown[] = [m3, m2, m1, m0, current.to, previous.to, now, appConfig.timeZone, ...(one ? [id] : [])];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.q) {
    where.push(`(u.name ILIKE ${param(likeContains(query.q))} OR u.id::text = ${param(query.q)})`);
  }
  if (query.rank) where.push(`u.rank = ${param(query.rank)}`);
  if (query.fell) where.push("coalesce(f.prev, 0) > 0 AND coalesce(f.cur, 0) < f.prev");
  const order = orderByClause(DISTRIBUTOR_SORT_COLUMNS, query.sort ?? "thisMonth", query.dir ?? "desc", "u.id");
  const page = query.limit === undefined ? "" : `LIMIT ${param(query.limit)} OFFSET ${param(query.offset ?? 0)}`;
  // Approved refunds per order: looked up order by order for one team, aggregated once for all.
  const refunds = one
    ? `LATERAL (SELECT o.id AS order_id, sum(r.amount + r.shipping_refund) AS refunded FROM refunds r
                 WHERE r.order_id = o.id AND r.status = 'approved' AND r.kind <> 'exchange' AND r.decided_at <= b.now)`
    : `(SELECT r.order_id, sum(r.amount + r.shipping_refund) AS refunded FROM refunds r, b
         WHERE r.status = 'approved' AND r.kind <> 'exchange' AND r.decided_at <= b.now GROUP BY r.order_id)`;
  return await db.query<FigureRow & { total: number }>(
    `WITH b AS (
       SELECT $1::date::timestamp AT TIME ZONE $8 AS m3, $2::date::timestamp AT TIME ZONE $8 AS m2,
              $3::date::timestamp AT TIME ZONE $8 AS m1, $4::date::timestamp AT TIME ZONE $8 AS m0,
              $5::date::timestamp AT TIME ZONE $8 AS cur_to, $6::date::timestamp AT TIME ZONE $8 AS prev_to,
              $7::timestamptz AS now
     ), sold AS (
       SELECT rp.ancestor_id AS id, o.paid_at, o.total, coalesce(r.refunded, 0) AS refunded
         FROM b, referral_paths rp JOIN orders o ON o.user_id = rp.descendant_id
         LEFT JOIN ${refunds} r ON r.order_id = o.id
        WHERE rp.depth BETWEEN 1 AND ${MAX_TIERS} AND o.paid_at >= b.m3 AND o.paid_at <= b.now
              ${one ? "AND rp.ancestor_id = $9" : ""}
     ), f AS (
       SELECT sold.id,
              sum(total) FILTER (WHERE paid_at < b.m2) AS g3, sum(refunded) FILTER (WHERE paid_at < b.m2) AS r3,
              sum(total) FILTER (WHERE paid_at >= b.m2 AND paid_at < b.m1) AS g2,
              sum(refunded) FILTER (WHERE paid_at >= b.m2 AND paid_at < b.m1) AS r2,
              sum(total) FILTER (WHERE paid_at >= b.m1 AND paid_at < b.m0) AS g1,
              sum(refunded) FILTER (WHERE paid_at >= b.m1 AND paid_at < b.m0) AS r1,
              sum(total) FILTER (WHERE paid_at >= b.m0) AS g0, sum(refunded) FILTER (WHERE paid_at >= b.m0) AS r0,
              sum(total - refunded) FILTER (WHERE paid_at >= b.m0 AND paid_at < b.cur_to) AS cur,
              sum(total - refunded) FILTER (WHERE paid_at >= b.m1 AND paid_at < b.prev_to) AS prev
         FROM sold, b GROUP BY sold.id
     )
     SELECT u.id::text, u.name, u.rank,
            coalesce((SELECT sum(members) FROM team_counts c WHERE c.ancestor_id = u.id), 0)::int AS members,
            coalesce(f.g3, 0)::numeric(20,2)::text AS g3, coalesce(f.r3, 0)::numeric(20,2)::text AS r3,
            coalesce(f.g2, 0)::numeric(20,2)::text AS g2, coalesce(f.r2, 0)::numeric(20,2)::text AS r2,
            coalesce(f.g1, 0)::numeric(20,2)::text AS g1, coalesce(f.r1, 0)::numeric(20,2)::text AS r1,
            coalesce(f.g0, 0)::numeric(20,2)::text AS g0, coalesce(f.r0, 0)::numeric(20,2)::text AS r0,
            coalesce(f.cur, 0)::numeric(20,2)::text AS cur, coalesce(f.prev, 0)::numeric(20,2)::text AS prev,
            count(*) OVER ()::int AS total
       FROM users u LEFT JOIN f ON f.id = u.id
      WHERE (u.role = 'distributor' OR EXISTS (SELECT 1 FROM team_counts c WHERE c.ancestor_id = u.id))
            ${one ? "AND u.id = $9" : ""} ${where.map((w) => `AND ${w}`).join(" ")}
      ${order} ${page}`,
    params,
  );
}

/** A distributor as the manager console shows them. */
export type DistributorProfile = ReturnType<typeof toProfile>;

function toProfile(r: FigureRow, periods: DistributorPeriods) {
  const complete: MonthFigures[] = [
    { sales: r.g3, refunds: r.r3 },
    { sales: r.g2, refunds: r.r2 },
    { sales: r.g1, refunds: r.r1 },
  ];
  const thisMonth = { sales: r.g0, refunds: r.r0 };
  return {
    id: String(r.id),
    name: r.name,
    rank: r.rank,
    members: r.members,
    /** The three complete months (oldest first), then this month so far: gross, refunds, net and rate. */
    months: [...complete, thisMonth].map((m, i) => ({
      month: periods.months[i].slice(0, 7),
      sales: m.sales,
      refunds: m.refunds,
      net: netSales(m),
      refundRate: refundRate(m),
    })),
    sales: { thisMonth: netSales(thisMonth), lastMonth: netSales(complete[2]), twoMonthsAgo: netSales(complete[1]) },
    tags: distributorTags(complete),
    drop: salesDrop({ days: periods.drop.days, previous: r.prev, current: r.cur }),
  };
}

function byThisMonth(a: DistributorProfile, b: DistributorProfile): number {
  return money(b.sales.thisMonth).cmp(money(a.sales.thisMonth)) || b.members - a.members;
}

/**
 * The distributors page: the top `limit` distributors by this month's team sales (net of refunds),
 * with tags from the last three complete months, and every distributor with a sales-drop alert
 * (not only those in the top list), biggest drop first.
 */
export async function distributorOverview(db: Db, now = new Date(), limit = 100) {
  const periods = distributorPeriods(shopDay(now));
  const all = (await teamFigures(db, periods, now)).map((r) => toProfile(r, periods));
  const alerts = all.filter((p) => p.drop).sort((a, b) => new Big(a.drop!.change).cmp(b.drop!.change));
  return { periods, profiles: all.sort(byThisMonth).slice(0, limit), alerts };
}

/** What the distributors list shows: a name or id search, a rank, a sort and a page. */
export interface DistributorListQuery {
  q?: string;
  rank?: Rank;
  sort: DistributorSort;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/**
 * A page of the distributors list, filtered, sorted and paged in SQL, with how many match; and every
 * distributor with a sales-drop alert (whatever the filters), biggest drop first.
 */
export async function distributorList(db: Db, now: Date, query: DistributorListQuery) {
  const periods = distributorPeriods(shopDay(now));
  const [rows, fell] = await Promise.all([
    teamFigures(db, periods, now, query),
    teamFigures(db, periods, now, { fell: true }),
  ]);
  const alerts = fell.map((r) => toProfile(r, periods)).filter((p) => p.drop)
    .sort((a, b) => new Big(a.drop!.change).cmp(b.drop!.change));
  // Past the last page: how many there are, for the pager's way back.
  const total = rows[0]?.total ??
    (query.offset > 0 ? (await teamFigures(db, periods, now, { ...query, limit: 1, offset: 0 }))[0]?.total ?? 0 : 0);
  return { total, profiles: rows.map((r) => toProfile(r, periods)), alerts };
}

/** One distributor's profile (null when the id is not a distributor). */
export async function distributorProfile(db: Db, id: string, now = new Date()): Promise<DistributorProfile | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const periods = distributorPeriods(shopDay(now));
  const [row] = await teamFigures(db, periods, now, { id });
  return row ? toProfile(row, periods) : null;
}

/**
 * Tells managers about each distributor whose sales dropped (the like-for-like drop alert): an
 * outbox event to the managers' room and a notification to every manager, once per distributor
 * and month (the `distribution_events` key `sales_drop:<id>:<YYYY-MM>`). Returns how many were new.
 */
export async function alertSalesDrops(db: Db, now = new Date()): Promise<number> {
  const { periods, alerts } = await distributorOverview(db, now, 0);
  const month = periods.months[3].slice(0, 7);
  let sent = 0;
  for (const p of alerts) {
    const drop = p.drop!;
    const fresh = await db.transaction(async (tx) => {
      const [row] = await tx.query(
        "INSERT INTO distribution_events (kind, ref) VALUES ('sales_drop', $1) ON CONFLICT DO NOTHING RETURNING kind",
        [`${p.id}:${month}`],
      );
      if (!row) return false;
      const percent = dropPercent(drop);
      await tx.query(
        `INSERT INTO notifications (user_id, kind, priority, title, body)
         SELECT id, 'sales_drop', 'important', $1, $2 FROM users WHERE role = 'manager'`,
        [
          storedMessage("notify.sales_drop.title", { name: p.name }),
          storedMessage("notify.sales_drop.body", {
            days: drop.days,
            current: drop.current,
            previous: drop.previous,
            percent,
          }),
        ],
      );
      await appendEvent(tx, "sales_drop", { userId: p.id, name: p.name, month, ...drop }, [MANAGERS_ROOM]);
      return true;
    });
    if (fresh) sent++;
  }
  return sent;
}

/** An application's contact as a staff member may see it: in full only with `pii.read`. */
function contactFor(viewer: UserRow): (contact: string) => string {
  return can(staffRoleOf(viewer), "pii.read") ? (c) => c : maskContact;
}

/** Pending distributor applications, oldest first, contacts masked for staff without `pii.read`. */
export async function pendingApplications(db: Db, viewer: UserRow, limit = 50) {
  const rows = await db.query<{ id: string; name: string; contact: string; channels: string; experience: string }>(
    `SELECT a.id::text, u.name, a.contact, a.channels, a.experience FROM distributor_applications a
       JOIN users u ON u.id = a.user_id WHERE a.status = 'pending' ORDER BY a.id LIMIT $1`,
    [limit],
  );
  const contact = contactFor(viewer);
  return rows.map((a) => ({ ...a, contact: contact(a.contact) }));
}

/** A member's distributor applications, newest first, contacts masked for staff without `pii.read`. */
export async function applicationsOf(db: Db, viewer: UserRow, userId: string) {
  const rows = await db.query<{ contact: string; channels: string; experience: string; status: string }>(
    "SELECT contact, channels, experience, status FROM distributor_applications WHERE user_id = $1 ORDER BY id DESC",
    [userId],
  );
  const contact = contactFor(viewer);
  return rows.map((a) => ({ ...a, contact: contact(a.contact) }));
}

/** The applications API list: pending first, then newest; contacts masked for staff without `pii.read`. */
export async function listApplications(db: Db, viewer: UserRow, limit = 100) {
  const rows = await db.query<Record<string, unknown> & { contact: string }>(
    `SELECT a.id::text, a.user_id::text AS "userId", u.name, a.contact, a.channels, a.experience, a.status,
            a.decision_reason AS "decisionReason", a.created_at AS "createdAt"
       FROM distributor_applications a JOIN users u ON u.id = a.user_id
      ORDER BY (a.status = 'pending') DESC, a.id DESC LIMIT $1`,
    [limit],
  );
  const contact = contactFor(viewer);
  return rows.map((a) => ({ ...a, contact: contact(a.contact) }));
}

/** A member's rank changes, newest first. */
export function rankHistory(db: Db, userId: string, limit = 20) {
  return db.query<{ from_rank: string; to_rank: string; reason: string; at: Date }>(
    "SELECT from_rank, to_rank, reason, at FROM rank_changes WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    [userId, limit],
  );
}
