/**
 * Set-based data generation for the bench: a deep referral tree with one big distributor, the
 * closure table (depths 1..3), team counts, a catalogue, a month of paid orders, and the daily
 * team figures derived from those orders and from the members' join days.
 *
 * Everything is generated inside PostgreSQL with generate_series and a deterministic hash, so a
 * run is reproducible and the data never crosses the wire.
 */
import type { Db } from "../db/db.ts";
import type { BenchConfig } from "./config.ts";
import { SHOP_TIME_ZONE } from "../domain/shop_time.ts";

/** The business day follows this time zone (the app's `appConfig.timeZone`). */
export const TIME_ZONE = SHOP_TIME_ZONE;

/** One level of the generated tree: members `start .. start + size - 1`. */
export interface Generation {
  /** 0 for the roots; a member of level g has g uplines. */
  level: number;
  start: number;
  size: number;
  /** Multiplier (coprime with size) that scatters siblings over the level's id range. */
  mult: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The tree's levels. Roots (1 per 10,000 members, at least one), then levels of 0.2 %, 1.3 % and
 * 7 % of the members, then the rest spread evenly over the deeper levels. A member at logical
 * position j of level g hangs under position floor(prev.size * ((j + 0.5) / size)^2) of the level
 * above: the skew gives early members many recruits and most members none, and root 1 (position
 * 0) ends up with a large three-tier team (about 200 / 4,100 / 39,000 at a million members).
 */
export function treeLevels(members: number, levels: number): Generation[] {
  const roots = Math.max(1, Math.round(members / 10_000));
  const fixed = [
    roots,
    Math.max(2, Math.round(members * 0.002)),
    Math.round(members * 0.013),
    Math.round(members * 0.07),
  ];
  const rest = members - fixed.reduce((a, b) => a + b, 0);
  const deep = levels - fixed.length;
  if (deep < 1 || rest < deep) throw new Error(`Cannot build a ${levels}-level tree from ${members} members`);
  const sizes = [...fixed];
  for (let i = 0; i < deep; i++) sizes.push(Math.floor(rest / deep) + (i < rest % deep ? 1 : 0));
  let start = 1;
  return sizes.map((size, level) => {
    let mult = Math.max(1, Math.floor(size * 0.6180339887));
    while (gcd(mult, size) !== 1) mult++;
    const g = { level, start, size, mult };
    start += size;
    return g;
  });
}

/** Timing of one generation step. */
export interface StepTiming {
  step: string;
  ms: number;
}

/** What was generated. */
export interface Generated {
  levels: Generation[];
  steps: StepTiming[];
  totalMs: number;
  rows: Record<string, number>;
  superuserLoad: boolean;
}

async function isSuperuser(db: Db): Promise<boolean> {
  const [row] = await db.query<{ rolsuper: boolean }>(
    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
  );
  return row?.rolsuper === true;
}

/**
 * Runs one load statement in its own transaction with bulk-load settings. As a superuser the
 * foreign-key triggers are skipped (session_replication_role = replica): the data are consistent
 * by construction, and 7 million per-row key checks would dominate the load time.
 */
async function load(db: Db, replica: boolean, sql: string, params: unknown[] = [], analyze?: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec(
      `SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';` +
        (replica ? " SET LOCAL session_replication_role = replica;" : ""),
    );
    await tx.query(sql, params);
  });
  // Statistics right away, so the next set-based step is planned on real numbers.
  if (analyze) await db.exec(`ANALYZE ${analyze}`);
}

/** Generates the whole data set; prints one line per step through `log`. */
export async function generate(
  db: Db,
  cfg: BenchConfig,
  now: Date,
  log: (line: string) => void,
): Promise<Generated> {
  const N = cfg.BENCH_MEMBERS;
  const O = cfg.BENCH_ORDERS;
  const P = cfg.BENCH_PRODUCTS;
  const C = cfg.BENCH_CATEGORIES;
  const levels = treeLevels(N, cfg.BENCH_GENERATIONS);
  const replica = await isSuperuser(db);
  const steps: StepTiming[] = [];
  const started = performance.now();
  const step = async (name: string, fn: () => Promise<void>) => {
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    steps.push({ step: name, ms });
    log(`  ${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(8)} s`);
  };

  // A deterministic uniform number in [0, 1) from (x, salt), via PostgreSQL's integer hash.
  await db.exec(
    `CREATE FUNCTION bench_u(x bigint, salt integer) RETURNS double precision
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT (hashint8(x * 7919 + salt)::bigint + 2147483648)::double precision / 4294967296.0 $$`,
  );

  const levelRows = levels.map((g, i) => {
    const prev = levels[i - 1] ?? { start: 0, size: 1, mult: 1 };
    return `(${g.level}, ${g.start}::bigint, ${g.size}::bigint, ${g.mult}::bigint, ${prev.start}::bigint, ${prev.size}::bigint, ${prev.mult}::bigint)`;
  }).join(",\n");
  const last = levels.length - 1;

  await step(`users (${N.toLocaleString("en")} members, ${levels.length} levels)`, () =>
    load(
      db,
      replica,
      `INSERT INTO users (id, email, name, password_hash, role, referral_code, upline_id, created_at)
       OVERRIDING SYSTEM VALUE
       SELECT m.id, 'm' || m.id || '@bench.example', 'Member ' || m.id, '$bench$not-a-real-hash',
              CASE WHEN m.level < ${last} THEN 'distributor' ELSE 'shopper' END,
              'B' || lpad(m.id::text, 9, '0'), m.upline_id,
              $1::timestamptz - ((${N} - m.id)::double precision / ${N}) * interval '730 days'
         FROM (SELECT g.level,
                      g.start + (j * g.mult) % g.size AS id,
                      CASE WHEN g.level = 0 THEN NULL
                           ELSE g.prev_start + (least(g.prev_size - 1,
                                  floor(g.prev_size * power((j::double precision + 0.5) / g.size, 2))::bigint) * g.prev_mult) % g.prev_size
                      END AS upline_id
                 FROM (VALUES ${levelRows}) AS g(level, start, size, mult, prev_start, prev_size, prev_mult)
                 CROSS JOIN LATERAL generate_series(0::bigint, g.size - 1) AS j) m
        ORDER BY m.id`,
      [now],
      "users",
    ));

  await step("referral_paths (depths 1..3)", () =>
    load(
      db,
      replica,
      `INSERT INTO referral_paths (ancestor_id, descendant_id, depth)
       SELECT ancestor_id, descendant_id, depth FROM (
         SELECT u.upline_id AS ancestor_id, u.id AS descendant_id, 1 AS depth
           FROM users u WHERE u.upline_id IS NOT NULL
         UNION ALL
         SELECT p.upline_id, u.id, 2 FROM users u JOIN users p ON p.id = u.upline_id WHERE p.upline_id IS NOT NULL
         UNION ALL
         SELECT g.upline_id, u.id, 3 FROM users u JOIN users p ON p.id = u.upline_id JOIN users g ON g.id = p.upline_id
          WHERE g.upline_id IS NOT NULL
       ) x ORDER BY descendant_id, depth`,
      [],
      "referral_paths",
    ));

  await step("team_counts (members per ancestor and depth)", () =>
    load(
      db,
      replica,
      `INSERT INTO team_counts (ancestor_id, depth, members)
       SELECT ancestor_id, depth, count(*) FROM referral_paths GROUP BY ancestor_id, depth ORDER BY ancestor_id, depth`,
    ));

  await step(`catalogue (${C} categories, ${P} products)`, async () => {
    await load(
      db,
      replica,
      `INSERT INTO categories (id, slug, name_zh, name_en, sort) OVERRIDING SYSTEM VALUE
       SELECT c, 'bench-' || c, '类目 ' || c, 'Category ' || c, c FROM generate_series(1, ${C}) c`,
    );
    await load(
      db,
      replica,
      `INSERT INTO products (id, category_id, name, name_en, price, cost_price, stock) OVERRIDING SYSTEM VALUE
       SELECT p, 1 + p % ${C}, '商品 ' || p, 'Product ' || p, price, round(price * (0.4 + 0.3 * bench_u(p, 32))::numeric, 2),
              1000000
         FROM (SELECT p, round((9.9 + 490 * bench_u(p, 31))::numeric, 2) AS price FROM generate_series(1, ${P}) p) x`,
      [],
      "categories, products",
    );
  });

  await step(`orders (${O.toLocaleString("en")} paid, 1-3 lines each)`, async () => {
    await load(
      db,
      replica,
      `CREATE UNLOGGED TABLE bench_lines AS
       SELECT o::bigint AS o, n, p.id AS product_id, p.name, 1 + floor(3 * bench_u(o * 4 + n, 43))::int AS quantity,
              p.price, p.cost_price
         FROM generate_series(1, ${O}) o
         CROSS JOIN LATERAL generate_series(1, 1 + floor(3 * bench_u(o, 41))::int) n
         JOIN products p ON p.id = 1 + floor(${P} * bench_u(o * 4 + n, 42))::bigint`,
      [],
      "bench_lines",
    );
    // Order o is paid at an increasing time within the 30 days before now; buyers are uniform over the tree.
    await load(
      db,
      replica,
      `INSERT INTO orders (id, number, user_id, status, subtotal, discount, points_discount, shipping, total, address,
                           idempotency_key, expires_at, paid_at, shipped_at, delivered_at, completed_at, created_at)
       OVERRIDING SYSTEM VALUE
       SELECT o.o, 'BENCH' || lpad(o.o::text, 11, '0'), o.buyer,
              CASE WHEN age < interval '1 day' THEN 'paid' WHEN age < interval '3 days' THEN 'shipped'
                   WHEN age < interval '10 days' THEN 'delivered' ELSE 'completed' END,
              l.amount, 0, 0, 0, l.amount, '{"name":"Bench","city":"Shanghai"}'::jsonb, 'bench-' || o.o,
              o.paid_at + interval '28 minutes', o.paid_at,
              CASE WHEN age >= interval '1 day' THEN o.paid_at + interval '20 hours' END,
              CASE WHEN age >= interval '3 days' THEN o.paid_at + interval '60 hours' END,
              CASE WHEN age >= interval '10 days' THEN o.paid_at + interval '9 days' END,
              o.paid_at - interval '2 minutes'
         FROM (SELECT o, paid_at, $1::timestamptz - paid_at AS age,
                      1 + floor(${N} * bench_u(o, 11))::bigint AS buyer
                 FROM (SELECT o::bigint AS o,
                              $1::timestamptz - interval '30 days' + ((o - 1 + bench_u(o, 12)) / ${O}) * interval '30 days' AS paid_at
                         FROM generate_series(1, ${O}) o) t) o
         JOIN (SELECT o, sum(price * quantity) AS amount FROM bench_lines GROUP BY o) l ON l.o = o.o
        ORDER BY o.o`,
      [now],
      "orders",
    );
    await load(
      db,
      replica,
      `INSERT INTO order_items (order_id, product_id, name, quantity, list_price, unit_price, subtotal, discount,
                                points_discount, line_total, cost_price)
       SELECT o, product_id, name, quantity, price, price, price * quantity, 0, 0, price * quantity, cost_price
         FROM bench_lines ORDER BY o, n`,
    );
    await db.exec("DROP TABLE bench_lines");
  });

  await step("team_daily (sales per tier + join history)", () =>
    load(
      db,
      replica,
      `INSERT INTO team_daily (ancestor_id, depth, day, sales, orders, new_members)
       SELECT ancestor_id, depth, day, sum(sales), sum(orders), sum(new_members) FROM (
         SELECT o.user_id AS ancestor_id, 0 AS depth, (o.paid_at AT TIME ZONE '${TIME_ZONE}')::date AS day,
                o.total AS sales, 1 AS orders, 0 AS new_members
           FROM orders o WHERE o.paid_at IS NOT NULL
         UNION ALL
         SELECT rp.ancestor_id, rp.depth, (o.paid_at AT TIME ZONE '${TIME_ZONE}')::date, o.total, 1, 0
           FROM orders o JOIN referral_paths rp ON rp.descendant_id = o.user_id WHERE o.paid_at IS NOT NULL
         UNION ALL
         SELECT rp.ancestor_id, rp.depth, (u.created_at AT TIME ZONE '${TIME_ZONE}')::date, 0, 0, 1
           FROM referral_paths rp JOIN users u ON u.id = rp.descendant_id
       ) x GROUP BY ancestor_id, depth, day ORDER BY ancestor_id, day, depth`,
    ));

  await step("identity sequences", async () => {
    for (const table of ["users", "categories", "products", "orders"]) {
      await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
  });

  await step("VACUUM ANALYZE", () =>
    db.exec(
      "VACUUM (ANALYZE) users, referral_paths, team_counts, team_daily, categories, products, orders, order_items",
    ));
  if (replica && N >= 100_000) {
    // Write the load out now, so a background checkpoint does not run during the measurements.
    await step("CHECKPOINT", () => db.exec("CHECKPOINT"));
  }
  const totalMs = performance.now() - started;

  const rows: Record<string, number> = {};
  for (const table of ["users", "referral_paths", "team_counts", "team_daily", "orders", "order_items", "products"]) {
    const [r] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    rows[table] = Number(r.n);
  }
  return { levels, steps, totalMs, rows, superuserLoad: replica };
}

/** The level (number of uplines) of a member id in the generated tree. */
export function levelOf(levels: Generation[], id: number): number {
  for (const g of levels) if (id >= g.start && id < g.start + g.size) return g.level;
  throw new Error(`member ${id} is not in the generated tree`);
}
