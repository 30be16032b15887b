import { z } from "zod";
import { MAX_TIERS } from "../domain/referral.ts";
import type { Db } from "../db/db.ts";
import { fail } from "../lib/errors.ts";
import { appConfig } from "../fresh.config.ts";
import { visibleName } from "../domain/privacy.ts";
import type { teamQuerySchema } from "./earnings.ts";
import { text } from "../lib/text.ts";
import { shopDayBefore } from "../domain/shop_time.ts";

/**
 * The distributor's team as the "My team" page shows it: the tree one level at a time, and a
 * searchable table of the whole downline (three tiers). Every query starts from the closure
 * table `referral_paths` (primary key `(ancestor_id, depth, descendant_id)`) or from
 * `users.upline_id` (indexed), and only the requested page is enriched with figures, so a
 * downline of tens of thousands never loads at once.
 */

/** The deepest tier a distributor sees (the closure table holds three). */
/** The deepest tier a team shows (the legal limit of paid tiers). */
export const MAX_TIER = MAX_TIERS;
/** Rows per page of the team table, and the default page size of both endpoints. */
export const TEAM_PAGE_SIZE = 50;
/** Members per branch of the tree (more load on demand). */
export const TREE_PAGE_SIZE = 20;
/** Up to this many candidates, the table reads members one by one by primary key. */
const DIRECT_LOOKUPS = 5_000;
/** The window of "30-day sales" and of "active", in days including today. */
const WINDOW_DAYS = 30;

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const wholeNumber = (min: number, max: number, what: string) =>
  z.coerce.number({ message: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be between ${min} and ${max}`)
    .max(max, `${what} must be between ${min} and ${max}`);
const pageFields = {
  page: z.preprocess(blank, wholeNumber(1, 100_000, "page").default(1)),
  pageSize: z.preprocess(
    blank,
    wholeNumber(1, appConfig.pagination.maxPageSize, "pageSize").default(TEAM_PAGE_SIZE),
  ),
};

/** `GET /api/me/team/children` query: whose children (default: mine) and which page. */
export const teamChildrenQuerySchema = z.object({
  parentId: z.preprocess(blank, z.string().regex(/^\d{1,18}$/, "must be a numeric member id").optional()),
  ...pageFields,
});
/** A validated children query. */
export type TeamChildrenQuery = z.infer<typeof teamChildrenQuerySchema>;

/** Sort keys of the team table. */
export const TEAM_SORTS = ["joined", "sales", "name"] as const;
/** A sort key of the team table. */
export type TeamSort = (typeof TEAM_SORTS)[number];

/** `GET /api/me/team/search` query: filters, sort and page. */
export const teamSearchQuerySchema = z.object({
  q: z.preprocess(blank, text().trim().max(60, "at most 60 characters").optional()),
  tier: z.preprocess(blank, wholeNumber(1, MAX_TIER, "tier").optional()),
  active: z.preprocess(
    blank,
    z.enum(["yes", "no"], { message: 'must be "yes" or "no"' }).optional(),
  ),
  sort: z.preprocess(blank, z.enum(TEAM_SORTS, { message: 'must be "joined", "sales" or "name"' }).default("joined")),
  dir: z.preprocess(blank, z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }).optional()),
  ...pageFields,
});
/** A validated search query. */
export type TeamSearchQuery = z.infer<typeof teamSearchQuerySchema>;

/** The direction a sort key uses when none is given: newest, best-selling, A to Z. */
export function defaultDir(sort: TeamSort): "asc" | "desc" {
  return sort === "name" ? "asc" : "desc";
}

/** A downline member as the tree and the table show them. */
export interface TeamMemberView {
  [key: string]: unknown;
  id: string;
  /** Full for tier 1, masked beyond. */
  name: string;
  /** Tiers below the viewer: 1 = referred by them. */
  tier: number;
  joinedAt: string;
  /** Their own purchases over the last 30 days. */
  sales30d: string;
  /** Whether they bought anything in the last 30 days. */
  active: boolean;
  /** Their direct referrals that are still within the viewer's three tiers (0 at tier 3). */
  childCount: number;
}

/** A page of members. */
export interface TeamPage {
  [key: string]: unknown;
  items: TeamMemberView[];
  total: number;
}

/** Members and 30-day sales of one tier. */
export interface TierTotal {
  [key: string]: unknown;
  tier: number;
  members: number;
  sales30d: string;
}

/** The first day (shop time zone, `YYYY-MM-DD`) of the 30-day window ending on `now`. */
export function windowStart(now: Date): string {
  return shopDayBefore(now, WINDOW_DAYS - 1);
}

interface MemberRow {
  id: string;
  name: string;
  tier: number;
  created_at: Date;
  sales30d: string;
  orders30d: number;
  child_count: number;
}

function toView(r: MemberRow): TeamMemberView {
  return {
    id: String(r.id),
    name: visibleName(r.name, r.tier),
    tier: r.tier,
    joinedAt: new Date(r.created_at).toISOString(),
    sales30d: r.sales30d,
    active: r.orders30d > 0,
    childCount: r.child_count,
  };
}

/** A member's own purchases in the window: one range read of `team_daily`'s primary key. */
const OWN_FIGURES = (member: string, from: string) =>
  `LEFT JOIN LATERAL (
     SELECT coalesce(sum(d.sales), 0) AS sales, coalesce(sum(d.orders), 0) AS orders
       FROM team_daily d WHERE d.ancestor_id = ${member} AND d.depth = 0 AND d.day >= ${from}::date) f ON true`;

/** Figures and child count for an already chosen page of members (`page` has id, name, tier, created_at). */
const ENRICH = (from: string, extra = "") =>
  `SELECT p.id, p.name, p.tier, p.created_at,${extra}
          f.sales::numeric(20,2)::text AS sales30d, f.orders::int AS orders30d,
          CASE WHEN p.tier < ${MAX_TIER} THEN (SELECT count(*) FROM users c WHERE c.upline_id = p.id) ELSE 0 END::int
            AS child_count
     FROM page p ${OWN_FIGURES("p.id", from)}`;

/**
 * Where `parentId` sits in `viewerId`'s downline: 0 for the viewer, else the tier. Only members
 * whose children are still within three tiers count (tier ≤ 2); anyone else is "not found", so
 * the answer never reveals whether a member exists in another team.
 */
export async function parentTier(db: Db, viewerId: string, parentId: string | undefined): Promise<number> {
  if (parentId === undefined || parentId === String(viewerId)) return 0;
  const [row] = await db.query<{ depth: number }>(
    "SELECT depth FROM referral_paths WHERE ancestor_id = $1 AND descendant_id = $2 AND depth <= $3",
    [viewerId, parentId, MAX_TIER - 1],
  );
  if (!row) throw fail.notFound("Member");
  return row.depth;
}

/**
 * The direct referrals of `parentId` (default: the viewer), newest first, as seen by the viewer:
 * read through `users.upline_id` and checked against the viewer's closure rows.
 */
export async function teamChildren(
  db: Db,
  viewerId: string,
  q: TeamChildrenQuery,
  now = new Date(),
): Promise<TeamPage> {
  const parent = q.parentId ?? String(viewerId);
  const tier = (await parentTier(db, viewerId, q.parentId)) + 1;
  const from = windowStart(now);
  const members = `FROM users u JOIN referral_paths rp
         ON rp.descendant_id = u.id AND rp.ancestor_id = $1 AND rp.depth = $2
      WHERE u.upline_id = $3`;
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total ${members}`, [
    viewerId,
    tier,
    parent,
  ]);
  if (total === 0) return { items: [], total };
  const rows = await db.query<MemberRow>(
    `WITH page AS (
       SELECT u.id, u.name, rp.depth::int AS tier, u.created_at ${members}
        ORDER BY u.created_at DESC, u.id DESC LIMIT $4 OFFSET $5)
     ${ENRICH("$6")}
     ORDER BY p.created_at DESC, p.id DESC`,
    [viewerId, tier, parent, q.pageSize, (q.page - 1) * q.pageSize, from],
  );
  return { items: rows.map(toView), total };
}

/**
 * The initial a masked name shows (`maskName`), in SQL over `u`: none for a one-character name,
 * which is shown as "***", so that searching or sorting by it cannot reveal the hidden name.
 */
const SHOWN_INITIAL = "(CASE WHEN char_length(btrim(u.name)) > 1 THEN left(btrim(u.name), 1) ELSE '' END)";

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A page of the viewer's downline (three tiers) for the table. The search matches tier-1 names
 * anywhere, deeper members only by the initial they show (so hidden names cannot be probed),
 * and any member by exact id. Sorting by name likewise uses what is shown.
 */
export async function searchTeam(db: Db, viewerId: string, q: TeamSearchQuery, now = new Date()): Promise<TeamPage> {
  const from = windowStart(now);
  const params: unknown[] = [viewerId];
  const param = (value: unknown, list = params) => {
    list.push(value);
    return `$${list.length}`;
  };
  // The candidates are the viewer's closure rows (primary key prefix `ancestor_id[, depth]`),
  // joined to their member rows by primary key; filters narrow those down.
  const where = ["rp.ancestor_id = $1"];
  if (q.tier) where.push(`rp.depth = ${param(q.tier)}`);
  const scoped = where.length;
  const scopeParams = params.length;
  if (q.q) {
    const pattern = param(`%${likeEscape(q.q)}%`);
    const raw = param(q.q);
    const byId = /^\d{1,18}$/.test(q.q) ? ` OR u.id = ${raw}::bigint` : "";
    where.push(
      `((rp.depth = 1 AND u.name ILIKE ${pattern} ESCAPE '\\')
        OR (rp.depth > 1 AND ${SHOWN_INITIAL} <> '' AND lower(${SHOWN_INITIAL}) = lower(${raw}::text))${byId})`,
    );
  }
  if (q.active) {
    where.push(
      `${q.active === "yes" ? "" : "NOT "}EXISTS (SELECT 1 FROM team_daily a WHERE a.ancestor_id = u.id
         AND a.depth = 0 AND a.day >= ${param(from)}::date AND a.orders > 0)`,
    );
  }
  const filter = `WHERE ${where.join(" AND ")}`;
  // How many closure rows are in scope: an index-only count, and the total when nothing else filters.
  const [{ candidates }] = await db.query<{ candidates: number }>(
    `SELECT count(*)::int AS candidates FROM referral_paths rp WHERE ${where.slice(0, scoped).join(" AND ")}`,
    params.slice(0, scopeParams),
  );
  if (candidates === 0) return { items: [], total: 0 };
  // Members are read one by one by primary key when a filter looks at them (the work is then
  // bounded by the team's size, never by the shop's) or when there are few; the OFFSET 0 keeps the
  // planner from turning that into a walk over all members, which it would do when it overestimates
  // a (member, tier) slice. A large unfiltered team is left to the planner (walking the join-date
  // index or hashing is then the cheaper way to order it).
  const filtered = where.length > scoped;
  const direct = filtered || candidates <= DIRECT_LOOKUPS;
  const members = direct
    ? `referral_paths rp CROSS JOIN LATERAL (
         SELECT m.id, m.name, m.created_at FROM users m WHERE m.id = rp.descendant_id OFFSET 0) u`
    : "referral_paths rp JOIN users u ON u.id = rp.descendant_id";
  // A filtered search counts its matches in the same pass that orders them (a window count).
  const fullCount = filtered ? ", count(*) OVER () AS full_count" : "";
  const pageParams = [...params];
  const fromP = param(from, pageParams);
  const limit = `LIMIT ${param(q.pageSize, pageParams)} OFFSET ${param((q.page - 1) * q.pageSize, pageParams)}`;
  const dir = (q.dir ?? defaultDir(q.sort)) === "asc" ? "ASC" : "DESC";
  let rows: (MemberRow & { full_count?: number })[];
  if (q.sort === "sales") {
    // Ordering by sales needs every candidate's figures: one grouped read of the team's own
    // purchases in the window (team_daily by primary key), not one lookup per member.
    rows = await db.query<MemberRow & { full_count?: number }>(
      `WITH page AS (
         SELECT u.id, u.name, rp.depth::int AS tier, u.created_at,
                coalesce(f.sales, 0) AS sales, coalesce(f.orders, 0) AS orders${fullCount}
           FROM ${members}
           LEFT JOIN (SELECT d.ancestor_id, sum(d.sales) AS sales, sum(d.orders) AS orders
                        FROM referral_paths r2
                        JOIN team_daily d ON d.ancestor_id = r2.descendant_id AND d.depth = 0 AND d.day >= ${fromP}::date
                       WHERE r2.ancestor_id = $1 GROUP BY d.ancestor_id) f ON f.ancestor_id = u.id
          ${filter}
          ORDER BY coalesce(f.sales, 0) ${dir}, u.id DESC ${limit})
       SELECT p.id, p.name, p.tier, p.created_at, p.sales::numeric(20,2)::text AS sales30d, p.orders::int AS orders30d,
              CASE WHEN p.tier < ${MAX_TIER} THEN (SELECT count(*) FROM users c WHERE c.upline_id = p.id) ELSE 0 END::int
                AS child_count${filtered ? ", p.full_count::int AS full_count" : ""}
         FROM page p ORDER BY p.sales ${dir}, p.id DESC`,
      pageParams,
    );
  } else {
    // Names sort by what is shown: tier 1 in full, deeper tiers by their initial.
    const nameKey = `(CASE WHEN rp.depth = 1 THEN u.name ELSE ${SHOWN_INITIAL} END)`;
    const order = q.sort === "name"
      ? { inner: `${nameKey} ${dir}, u.id ASC`, outer: `p.name_key ${dir}, p.id ASC` }
      : { inner: `u.created_at ${dir}, u.id ${dir}`, outer: `p.created_at ${dir}, p.id ${dir}` };
    rows = await db.query<MemberRow & { full_count?: number }>(
      `WITH page AS (
         SELECT u.id, u.name, rp.depth::int AS tier, u.created_at, ${nameKey} AS name_key${fullCount}
           FROM ${members} ${filter}
          ORDER BY ${order.inner} ${limit})
       ${ENRICH(fromP, filtered ? " p.full_count::int AS full_count," : "")}
       ORDER BY ${order.outer}`,
      pageParams,
    );
  }
  let total = candidates;
  if (filtered) {
    // Past the last page there is no row to carry the count; count separately then.
    total = rows[0]?.full_count ?? (q.page === 1 ? 0 : (await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM ${members} ${filter}`,
      params,
    ))[0].total);
  }
  return { items: rows.map(toView), total };
}

/** Members and 30-day sales per tier (1 to 3), from the closure table's index and `team_daily`. */
export async function teamTierTotals(db: Db, viewerId: string, now = new Date()): Promise<TierTotal[]> {
  const rows = await db.query<{ tier: number; members: number; sales30d: string }>(
    `SELECT t.depth AS tier,
            (SELECT count(*) FROM referral_paths rp WHERE rp.ancestor_id = $1 AND rp.depth = t.depth)::int AS members,
            (SELECT coalesce(sum(d.sales), 0) FROM team_daily d
              WHERE d.ancestor_id = $1 AND d.depth = t.depth AND d.day >= $2::date)::numeric(20,2)::text AS sales30d
       FROM generate_series(1, ${MAX_TIERS}) AS t(depth) ORDER BY t.depth`,
    [viewerId, windowStart(now)],
  );
  return rows.map((r) => ({ tier: Number(r.tier), members: r.members, sales30d: r.sales30d }));
}

/** `GET /api/me/team` query (depth, page, pageSize, q). */
export type TeamQuery = z.infer<typeof teamQuerySchema>;

/**
 * The caller's downline to `depth` tiers for the JSON API: newest first within each tier, with tier,
 * join date and own 30-day sales, names under the one rule of `domain/privacy.ts` (full at tier 1,
 * masked beyond), and `q` matching as the team table does (tier-1 names anywhere, deeper members only
 * by the initial they show, anyone by exact id), so hidden names can neither be read nor probed.
 */
export async function teamForApi(db: Db, viewerId: string, q: TeamQuery, now = new Date()) {
  const from = windowStart(now);
  const params: unknown[] = [viewerId, q.depth, from, q.pageSize, (q.page - 1) * q.pageSize];
  let filter = "";
  if (q.q) {
    params.push(`%${likeEscape(q.q)}%`, q.q);
    const [pattern, raw] = [`$${params.length - 1}`, `$${params.length}`];
    filter = `AND EXISTS (SELECT 1 FROM users f WHERE f.id = r.descendant_id
      AND ((r.depth = 1 AND f.name ILIKE ${pattern} ESCAPE '\\')
        OR (r.depth > 1 AND lower(left(btrim(f.name), 1)) = lower(${raw}::text))
        OR f.id::text = ${raw}::text))`;
  }
  // One index range of the closure table per tier, so a large team reads only one page of rows.
  const rows = await db.query<{ id: string; name: string; tier: number; created_at: Date; sales30d: string }>(
    `SELECT u.id, u.name, rp.depth::int AS tier, u.created_at,
            (SELECT coalesce(sum(d.sales), 0) FROM team_daily d
              WHERE d.ancestor_id = u.id AND d.depth = 0 AND d.day >= $3::date)::numeric(20,2)::text AS sales30d
       FROM generate_series(1, $2::int) AS t(depth)
       CROSS JOIN LATERAL (SELECT r.depth, r.descendant_id FROM referral_paths r
                            WHERE r.ancestor_id = $1 AND r.depth = t.depth ${filter}
                            ORDER BY r.descendant_id DESC LIMIT $4::int + $5::int) rp
       JOIN users u ON u.id = rp.descendant_id
      ORDER BY rp.depth, rp.descendant_id DESC LIMIT $4 OFFSET $5`,
    params,
  );
  const [totals] = await db.query<{ members: number; sales30d: string }>(
    `SELECT coalesce((SELECT sum(members) FROM team_counts WHERE ancestor_id = $1 AND depth <= $2), 0)::int AS members,
            coalesce((SELECT sum(sales) FROM team_daily WHERE ancestor_id = $1 AND depth BETWEEN 1 AND $2
                        AND day >= $3::date), 0)::numeric(20,2)::text AS sales30d`,
    [viewerId, q.depth, from],
  );
  return {
    members: rows.map((m) => ({
      id: String(m.id),
      name: visibleName(m.name, m.tier),
      tier: m.tier,
      joinedAt: new Date(m.created_at).toISOString(),
      sales30d: m.sales30d,
    })),
    totals: { members: totals.members, sales30d: totals.sales30d },
  };
}

/**
 * Rebuilds the derived team figures from the referral closure (`referral_paths`): `team_counts`
 * (members per ancestor and tier) for the given ancestors, or for everyone when none are given.
 * A full rebuild (seeding, imports) also recounts the `new_members` of `team_daily` from join
 * dates; a move keeps those as history (members joined where they joined), as it keeps sales.
 * Whatever seeds, imports or moves members calls this in the same transaction.
 */
export async function rebuildTeamFigures(tx: Db, ancestorIds?: string[]): Promise<void> {
  if (ancestorIds) {
    if (ancestorIds.length === 0) return;
    const ids = [ancestorIds.map(String)];
    await tx.query("DELETE FROM team_counts WHERE ancestor_id = ANY($1::bigint[])", ids);
    await tx.query(
      `INSERT INTO team_counts (ancestor_id, depth, members)
       SELECT ancestor_id, depth, count(*) FROM referral_paths WHERE ancestor_id = ANY($1::bigint[])
        GROUP BY ancestor_id, depth`,
      ids,
    );
    return;
  }
  await tx.query("DELETE FROM team_counts");
  await tx.query(
    `INSERT INTO team_counts (ancestor_id, depth, members)
     SELECT ancestor_id, depth, count(*) FROM referral_paths GROUP BY ancestor_id, depth`,
  );
  await tx.query("UPDATE team_daily SET new_members = 0 WHERE new_members <> 0");
  await tx.query(
    `INSERT INTO team_daily (ancestor_id, depth, day, new_members)
     SELECT rp.ancestor_id, rp.depth, (u.created_at AT TIME ZONE $1)::date, count(*)
       FROM referral_paths rp JOIN users u ON u.id = rp.descendant_id
      GROUP BY 1, 2, 3
     ON CONFLICT (ancestor_id, day, depth) DO UPDATE SET new_members = EXCLUDED.new_members`,
    [appConfig.timeZone],
  );
}
