/**
 * The read paths under test and their baselines.
 *
 * (a) A distributor's team figures and the first page of their team, through the production
 *     functions `teamFigures` and `teamForApi` (closure table + incrementally kept figures). Baseline:
 *     the natural implementation without a closure table — a recursive CTE that walks
 *     `users.upline_id` down from the member to tier 3 and sums the tiers' paid orders.
 * (b) A leaf's three uplines through `referral_paths`. Baselines: a recursive CTE that walks
 *     `users.upline_id` up from the leaf to the root (what a recursive scan does to find the chain),
 *     and the same walk cut off at depth 3.
 *
 * Every call goes through the app's `Db` port (postgres.js, same pool, same protocol), so the
 * production and baseline timings carry the same client overhead. Nothing is cached.
 */
import type { Db, Row } from "../db/db.ts";
import { teamFigures, teamQuerySchema } from "../services/earnings.ts";
import { teamForApi } from "../services/team.ts";
import { visibleName } from "../domain/privacy.ts";
import { TIME_ZONE } from "./generate.ts";
import { shopDayBefore } from "../domain/shop_time.ts";
import { MAX_TIERS } from "../domain/referral.ts";
import { median } from "./stats.ts";

/** The business day `days` before `now`, as the app computes it (YYYY-MM-DD in the shop's time zone). */
export function businessDaySince(days: number, now: Date): string {
  return shopDayBefore(now, days);
}

/** Baseline (a), figures: members, new members today and sales today / 7 d / 30 d per tier, by recursion. */
export const RECURSIVE_FIGURES_SQL = `
WITH RECURSIVE team(id, depth, created_at) AS (
  SELECT id, 1, created_at FROM users WHERE upline_id = $1
  UNION ALL
  SELECT u.id, t.depth + 1, u.created_at FROM team t JOIN users u ON u.upline_id = t.id WHERE t.depth < ${MAX_TIERS}
),
members AS (
  SELECT depth, count(*)::int AS members,
         count(*) FILTER (WHERE (created_at AT TIME ZONE '${TIME_ZONE}')::date >= $2::date)::int AS new_today
    FROM team GROUP BY depth
),
sales AS (
  SELECT t.depth,
         sum(o.total) FILTER (WHERE (o.paid_at AT TIME ZONE '${TIME_ZONE}')::date >= $2::date) AS today,
         sum(o.total) FILTER (WHERE (o.paid_at AT TIME ZONE '${TIME_ZONE}')::date >= $3::date) AS d7,
         sum(o.total) AS d30
    FROM team t JOIN orders o ON o.user_id = t.id
   WHERE o.paid_at IS NOT NULL AND (o.paid_at AT TIME ZONE '${TIME_ZONE}')::date >= $4::date
   GROUP BY t.depth
)
SELECT t.depth, coalesce(m.members, 0) AS members,
       coalesce(s.today, 0)::numeric(20,2)::text AS today, coalesce(s.d7, 0)::numeric(20,2)::text AS d7,
       coalesce(s.d30, 0)::numeric(20,2)::text AS d30, coalesce(m.new_today, 0) AS new_today
  FROM (VALUES (1), (2), (3)) AS t(depth)
  LEFT JOIN members m ON m.depth = t.depth LEFT JOIN sales s ON s.depth = t.depth
 ORDER BY t.depth`;

/** Baseline (a), team page: the downline to `$2` tiers by recursion, newest first per tier, with own 30-day sales. */
export const RECURSIVE_PAGE_SQL = `
WITH RECURSIVE team(id, name, created_at, depth) AS (
  SELECT id, name, created_at, 1 FROM users WHERE upline_id = $1
  UNION ALL
  SELECT u.id, u.name, u.created_at, t.depth + 1 FROM team t JOIN users u ON u.upline_id = t.id WHERE t.depth < $2
)
SELECT t.id, t.name, t.depth AS tier, t.created_at AS joined_at,
       coalesce((SELECT sum(o.total) FROM orders o
                  WHERE o.user_id = t.id AND o.paid_at IS NOT NULL
                    AND (o.paid_at AT TIME ZONE '${TIME_ZONE}')::date >= $3::date), 0)::numeric(20,2)::text AS sales30d
  FROM team t
 ORDER BY t.depth, t.id DESC LIMIT $4 OFFSET $5`;

/** Production (b): a member's uplines from the closure table. */
export const CLOSURE_UPLINES_SQL = "SELECT ancestor_id FROM referral_paths WHERE descendant_id = $1 ORDER BY depth";

/** Baseline (b): the whole chain up to the root, by recursion (the caller keeps the nearest three). */
export const RECURSIVE_UPLINES_SQL = `
WITH RECURSIVE up(id, depth) AS (
  SELECT upline_id, 1 FROM users WHERE id = $1 AND upline_id IS NOT NULL
  UNION ALL
  SELECT u.upline_id, up.depth + 1 FROM up JOIN users u ON u.id = up.id WHERE u.upline_id IS NOT NULL
)
SELECT id AS ancestor_id FROM up ORDER BY depth`;

/** Second baseline (b): the same walk, stopped after three uplines. */
export const RECURSIVE_UPLINES_3_SQL = `
WITH RECURSIVE up(id, depth) AS (
  SELECT upline_id, 1 FROM users WHERE id = $1 AND upline_id IS NOT NULL
  UNION ALL
  SELECT u.upline_id, up.depth + 1 FROM up JOIN users u ON u.id = up.id WHERE u.upline_id IS NOT NULL AND up.depth < ${MAX_TIERS}
)
SELECT id AS ancestor_id FROM up ORDER BY depth`;

/** The page the bench reads: depth 3, page 1, 50 per page. */
export const TEAM_QUERY = teamQuerySchema.parse({ depth: 3, page: 1, pageSize: 50 });

interface FigureRow {
  depth: number;
  members: number;
  today: string;
  d7: string;
  d30: string;
  new_today: number;
}

/** Baseline (a), figures, shaped like `teamFigures`. */
export async function recursiveFigures(db: Db, userId: string, now: Date) {
  const rows = await db.query<FigureRow>(RECURSIVE_FIGURES_SQL, [
    userId,
    businessDaySince(0, now),
    businessDaySince(6, now),
    businessDaySince(29, now),
  ]);
  return rows.map((r) => ({
    tier: r.depth,
    members: r.members,
    today: r.today,
    d7: r.d7,
    d30: r.d30,
    newToday: r.new_today,
  }));
}

/** Baseline (a), team page, shaped like `teamForApi(...).members`. */
export async function recursivePage(db: Db, userId: string, now: Date) {
  const q = TEAM_QUERY;
  const rows = await db.query<{ id: string; name: string; tier: number; joined_at: Date; sales30d: string }>(
    RECURSIVE_PAGE_SQL,
    [userId, q.depth, businessDaySince(29, now), q.pageSize, (q.page - 1) * q.pageSize],
  );
  return rows.map((m) => ({
    id: String(m.id),
    name: visibleName(m.name, m.tier),
    tier: m.tier,
    joinedAt: new Date(m.joined_at).toISOString(),
    sales30d: m.sales30d,
  }));
}

/** Runs an uplines query and keeps the nearest three ids. */
export async function uplines(db: Db, sql: string, memberId: string): Promise<string[]> {
  const rows = await db.query<{ ancestor_id: string }>(sql, [memberId]);
  return rows.slice(0, 3).map((r) => String(r.ancestor_id));
}

function cents(value: string): number {
  return Math.round(Number(value) * 100);
}

/** Runs production and baselines once and lists every disagreement (empty when they agree). */
export async function verify(db: Db, rootId: string, leaves: string[], now: Date): Promise<string[]> {
  const problems: string[] = [];
  const prodFigures = await teamFigures(db, rootId, now);
  const baseFigures = await recursiveFigures(db, rootId, now);
  if (JSON.stringify(prodFigures) !== JSON.stringify(baseFigures)) {
    problems.push(`team figures differ: ${JSON.stringify(prodFigures)} vs ${JSON.stringify(baseFigures)}`);
  }
  const prodTeam = await teamForApi(db, rootId, TEAM_QUERY, now);
  const basePage = await recursivePage(db, rootId, now);
  if (JSON.stringify(prodTeam.members) !== JSON.stringify(basePage)) {
    problems.push(
      `team page differs (first ids ${prodTeam.members.slice(0, 3).map((m) => m.id)} vs ${
        basePage.slice(0, 3).map((m) => m.id)
      })`,
    );
  }
  const baseMembers = baseFigures.reduce((s, f) => s + f.members, 0);
  const baseSales = baseFigures.reduce((s, f) => s + cents(f.d30), 0);
  if (prodTeam.totals.members !== baseMembers || cents(prodTeam.totals.sales30d) !== baseSales) {
    problems.push(`team totals differ: ${JSON.stringify(prodTeam.totals)} vs ${baseMembers} / ${baseSales / 100}`);
  }
  for (const leaf of leaves) {
    const a = await uplines(db, CLOSURE_UPLINES_SQL, leaf);
    const b = await uplines(db, RECURSIVE_UPLINES_SQL, leaf);
    const c = await uplines(db, RECURSIVE_UPLINES_3_SQL, leaf);
    if (a.join() !== b.join() || a.join() !== c.join()) {
      problems.push(`uplines of ${leaf} differ: ${a} / ${b} / ${c}`);
      break;
    }
  }
  return problems;
}

/** One timed case: `run` performs `ops` operations; samples are milliseconds per operation. */
export interface Case {
  key: string;
  ops: number;
  run: () => Promise<unknown>;
}

/** The read cases: production and baselines for (a) and (b). */
export function readCases(db: Db, rootId: string, leaves: string[], now: Date): Case[] {
  const each = (sql: string) => async () => {
    for (const leaf of leaves) await uplines(db, sql, leaf);
  };
  return [
    { key: "a.prod.figures", ops: 1, run: () => teamFigures(db, rootId, now) },
    { key: "a.prod.page", ops: 1, run: () => teamForApi(db, rootId, TEAM_QUERY, now) },
    { key: "a.base.figures", ops: 1, run: () => recursiveFigures(db, rootId, now) },
    { key: "a.base.page", ops: 1, run: () => recursivePage(db, rootId, now) },
    { key: "b.prod", ops: leaves.length, run: each(CLOSURE_UPLINES_SQL) },
    { key: "b.base.walk", ops: leaves.length, run: each(RECURSIVE_UPLINES_SQL) },
    { key: "b.base.walk3", ops: leaves.length, run: each(RECURSIVE_UPLINES_3_SQL) },
  ];
}

/**
 * Times the cases: `warmup` untimed rounds, then `reps` timed rounds. Within a round every case
 * runs once, in an order rotated from round to round, so drift and cache effects hit all alike.
 * Returns per case the samples (ms per operation), one per timed round.
 */
export async function timeCases(cases: Case[], warmup: number, reps: number): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.key, []]));
  for (let round = 0; round < warmup + reps; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(round + k) % cases.length];
      const t0 = performance.now();
      await c.run();
      const elapsed = performance.now() - t0;
      if (round >= warmup) samples.get(c.key)!.push(elapsed / c.ops);
    }
  }
  return samples;
}

/** Sums samples of several cases round by round (e.g. figures + page = one dashboard read). */
export function combine(samples: Map<string, number[]>, keys: string[]): number[] {
  const rows = keys.map((k) => samples.get(k)!);
  return rows[0].map((_, i) => rows.reduce((s, r) => s + r[i], 0));
}

/** A `Db` that records the statements passing through it (to replay production queries under EXPLAIN). */
export function recordingDb(db: Db, log: { sql: string; params: unknown[] }[]): Db {
  return {
    kind: db.kind,
    query<T = Row>(sql: string, params: unknown[] = []) {
      log.push({ sql, params });
      return db.query<T>(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}

/** Server-side time (planning + execution, from EXPLAIN ANALYZE without per-node timing) of statements. */
export async function serverMs(db: Db, statements: { sql: string; params: unknown[] }[]): Promise<number> {
  let total = 0;
  for (const s of statements) {
    const [row] = await db.query<{ "QUERY PLAN": { "Planning Time": number; "Execution Time": number }[] }>(
      `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${s.sql}`,
      s.params,
    );
    const plan = row["QUERY PLAN"][0];
    total += plan["Planning Time"] + plan["Execution Time"];
  }
  return total;
}

/** Plain-text plans (EXPLAIN ANALYZE, BUFFERS) of statements, for BENCH_EXPLAIN=1. */
export async function explainText(db: Db, statements: { sql: string; params: unknown[] }[]): Promise<string> {
  const out: string[] = [];
  for (const s of statements) {
    const rows = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
    out.push(s.sql.trim().replace(/\s+/g, " ").slice(0, 160) + " …", ...rows.map((r) => `    ${r["QUERY PLAN"]}`));
  }
  return out.join("\n");
}

/** Server-side medians per case over `reps` rounds (statements captured from one run of each case). */
export async function serverCases(
  db: Db,
  rootId: string,
  leaves: string[],
  now: Date,
  reps: number,
): Promise<{ medians: Map<string, number>; statements: Map<string, { sql: string; params: unknown[] }[]> }> {
  const statements = new Map<string, { sql: string; params: unknown[] }[]>();
  for (const c of readCases(db, rootId, leaves, now)) {
    const log: { sql: string; params: unknown[] }[] = [];
    await readCases(recordingDb(db, log), rootId, leaves, now).find((x) => x.key === c.key)!.run();
    statements.set(c.key, log);
  }
  const samples = new Map<string, number[]>([...statements.keys()].map((k) => [k, []]));
  for (let round = 0; round < reps; round++) {
    for (const [key, log] of statements) {
      const ops = key.startsWith("b.") ? leaves.length : 1;
      samples.get(key)!.push((await serverMs(db, log)) / ops);
    }
  }
  return { medians: new Map([...samples].map(([k, v]) => [k, median(v)])), statements };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Workers Launched"?: number;
  Plans?: PlanNode[];
}

/** A one-line outline of a statement's executed plan: node types, indexes and rows read, outermost first. */
export async function planOutline(db: Db, statement: { sql: string; params: unknown[] }): Promise<string> {
  const [row] = await db.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
    `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${statement.sql}`,
    statement.params,
  );
  const parts: string[] = [];
  const walk = (node: PlanNode, depth: number) => {
    if (depth > 6) return;
    const on = node["Index Name"] ?? node["Relation Name"];
    const rows = (node["Actual Rows"] ?? 0) * (node["Actual Loops"] ?? 1);
    const workers = node["Workers Launched"] ? `, ${node["Workers Launched"]} workers` : "";
    parts.push(
      `${"  ".repeat(depth)}${node["Node Type"]}${on ? ` on ${on}` : ""} (${Math.round(rows)} rows${workers})`,
    );
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(row["QUERY PLAN"][0].Plan, 0);
  return parts.join("\n");
}
