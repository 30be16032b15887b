/**
 * `deno task bench`: generates a large distribution programme in a fresh PostgreSQL schema and
 * measures, in the same run and on the same machine,
 *
 *   (a) a distributor's team figures + first team page (production: closure table and kept
 *       figures) against a recursive CTE over users.upline_id that computes the same figures;
 *   (b) a leaf's three uplines (production: referral_paths) against a recursive walk up the tree
 *       (to the root, and — second baseline — cut off at three);
 *   the what-if simulator over a month of paid orders.
 *
 * Speed goals are ratios (production ÷ baseline) against BENCH_GOAL_PCT (5 %).
 *
 * Then the hot path, each figure a ratio to a baseline measured in the same run, against a real app
 * instance (bench/app_server.ts, a subprocess) on a scratch database:
 *   checkout  (bench/checkout.ts)   order + payment + signed webhook over HTTP vs pgbench TPC-B;
 *   flash     (bench/flash_sale.ts) 2,000 buyers for 100 units, then the ledger and stock invariants;
 *   pages     (bench/pages.ts)      anonymous pages with wrk on PGlite and PostgreSQL vs bare Deno.serve;
 *   fanout    (bench/fanout.ts)     2,000 live socket.io clients vs a plain socket.io broadcast.
 * BENCH_ONLY=checkout,pages (any of tree, simulator, checkout, flash, pages, fanout) runs some sections.
 *
 * Every loop is bounded in count and time, every request has a time limit, a watchdog stops the run
 * after BENCH_TIMEOUT_S, and the schema, scratch databases and subprocesses are removed at the end,
 * also on failure or Ctrl-C. Settings: see bench/config.ts (BENCH_MEMBERS, BENCH_ORDERS, …).
 */
import postgres from "postgres";
import { type Db, openDb } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { MAX_TIERS } from "../domain/referral.ts";
import { connectionUrl, readConfig } from "./config.ts";
import { generate, type Generated, levelOf } from "./generate.ts";
import { combine, explainText, planOutline, readCases, serverCases, timeCases, verify } from "./reads.ts";
import { benchSimulator, DRAFT_PLAN, type SimulatorResult } from "./simulator_bench.ts";
import { int, median, ms, pct, quantile, table } from "./stats.ts";
import { type Section } from "./config.ts";
import { goals, runCleanups, stopping, verdict } from "./harness.ts";
import { benchCheckout } from "./checkout.ts";
import { benchFlashSale } from "./flash_sale.ts";
import { benchPages } from "./pages.ts";
import { benchFanout } from "./fanout.ts";

const cfg = readConfig();
const schema = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
const appName = `bench:${schema}`;
const statementTimeoutMs = Math.min(cfg.BENCH_TIMEOUT_S, 1_200) * 1_000;
const admin = postgres(connectionUrl(cfg.DATABASE_URL, `${appName}:admin`, 120_000), {
  max: 1,
  onnotice: () => {},
});
let db: Db | undefined;

// ---------------------------------------------------------------------------------------------
// Stopping and clean-up. A time limit or a signal cancels the running statement and makes every
// further query fail, so the main flow unwinds and drops the schema itself; only if that does not
// happen within 60 s are the bench's connections terminated and the schema dropped from here.
let stopCode: number | undefined;
let cleanup: Promise<void> | undefined;
function dropSchema(terminate: boolean): Promise<void> {
  cleanup ??= (async () => {
    if (terminate) {
      await admin.unsafe(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()",
        [appName],
      ).catch(() => {});
    } else {
      await db?.close().catch(() => {});
    }
    if (!db) return void await admin.end({ timeout: 5 }).catch(() => {}); // the schema was never created
    try {
      await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      console.log(`Dropped schema ${schema}.`);
    } catch (err) {
      console.error(`Could not drop schema ${schema}: ${(err as Error).message}`);
    }
    await admin.end({ timeout: 5 }).catch(() => {});
  })();
  return cleanup;
}

let fallback: ReturnType<typeof setTimeout> | undefined;
function stop(reason: string, code: number): void {
  if (stopCode !== undefined) return;
  stopCode = code;
  stopping.abort(); // the hot-path sections end their loops and requests, then clean up
  console.error(`\n${reason}: stopping the bench (the schema ${schema} will be dropped)`);
  admin.unsafe(
    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()",
    [appName],
  ).catch(() => {});
  fallback = setTimeout(async () => {
    // Terminated connections may make the driver throw from a callback: ignore that on the way out.
    globalThis.addEventListener("error", (e) => e.preventDefault());
    globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
    await dropSchema(true);
    Deno.exit(code);
  }, 60_000);
}
const watchdog = setTimeout(
  () => stop(`Time limit of ${cfg.BENCH_TIMEOUT_S} s reached`, 3),
  cfg.BENCH_TIMEOUT_S * 1_000,
);
const onSigint = () => stop("Interrupted", 130);
const onSigterm = () => stop("Terminated", 143);
Deno.addSignalListener("SIGINT", onSigint);
Deno.addSignalListener("SIGTERM", onSigterm);

/** The app's Db with a stop check before every statement, so a stopped run unwinds promptly. */
function stoppable(inner: Db): Db {
  const check = () => {
    if (stopCode !== undefined) throw new Error("bench stopped");
  };
  return {
    kind: inner.kind,
    query: (sql, params) => (check(), inner.query(sql, params)),
    exec: (sql) => (check(), inner.exec(sql)),
    transaction: (fn) => (check(), inner.transaction((tx) => fn(stoppable(tx)))),
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    close: () => inner.close(),
  };
}

// ---------------------------------------------------------------------------------------------
const log = (line = "") => console.log(line);
const heading = (title: string) => log(`\n== ${title} ${"=".repeat(Math.max(0, 90 - title.length))}`);

interface Reads {
  samples: Map<string, number[]>;
  server: Map<string, number>;
  rootTiers: number[];
  rootDownline: number;
  rootDownlineMs: number;
  leafDepthAvg: number;
  leafDepthMax: number;
  problems: string[];
}

async function main(): Promise<number> {
  const started = performance.now();
  const [pg] = await admin.unsafe<{ version: string }[]>(
    "SELECT current_setting('server_version') AS version",
  );
  heading("Settings");
  log(
    `PostgreSQL ${pg.version} at ${
      new URL(cfg.DATABASE_URL).host
    }, schema ${schema}; ${navigator.hardwareConcurrency} CPUs`,
  );

  log(`sections: ${[...cfg.BENCH_ONLY].join(", ")} (BENCH_ONLY)`);

  let code = 0;
  if (cfg.BENCH_ONLY.has("tree") || cfg.BENCH_ONLY.has("simulator")) {
    code = await treeAndSimulator(started);
    await dropSchema(false);
  }
  const sections: [Section, () => Promise<void>][] = [
    ["checkout", () =>
      benchCheckout({
        databaseUrl: cfg.DATABASE_URL,
        concurrency: cfg.BENCH_CHECKOUT_CONCURRENCY,
        seconds: cfg.BENCH_CHECKOUT_S,
        maxPerBuyer: cfg.BENCH_CHECKOUT_MAX_PER_BUYER,
        spreadProducts: cfg.BENCH_CHECKOUT_PRODUCTS,
        chains: cfg.BENCH_CHAINS,
        requestTimeoutMs: cfg.BENCH_REQUEST_TIMEOUT_MS,
        pgbench: { scale: cfg.BENCH_PGBENCH_SCALE, clients: cfg.BENCH_PGBENCH_CLIENTS, seconds: cfg.BENCH_PGBENCH_S },
        goalRatio: 0.1,
        goalRoundTrips: 40,
      })],
    ["flash", () =>
      benchFlashSale({
        databaseUrl: cfg.DATABASE_URL,
        buyers: cfg.BENCH_FLASH_BUYERS,
        units: cfg.BENCH_FLASH_UNITS,
        seconds: cfg.BENCH_FLASH_S,
        chains: cfg.BENCH_CHAINS,
        concurrency: cfg.BENCH_FLASH_CONCURRENCY,
        requestTimeoutMs: cfg.BENCH_REQUEST_TIMEOUT_MS,
      })],
    ["pages", () =>
      benchPages({
        databaseUrl: cfg.DATABASE_URL,
        connections: cfg.BENCH_WRK_CONNECTIONS,
        seconds: cfg.BENCH_WRK_S,
        goalRatio: 0.3,
      })],
    ["fanout", () =>
      benchFanout({
        databaseUrl: cfg.DATABASE_URL,
        clients: cfg.BENCH_FANOUT_CLIENTS,
        managers: cfg.BENCH_FANOUT_MANAGERS,
        seconds: cfg.BENCH_FANOUT_S,
        concurrency: cfg.BENCH_FANOUT_CONCURRENCY,
        requestTimeoutMs: cfg.BENCH_REQUEST_TIMEOUT_MS,
        goalRatio: 0.8,
        goalP99Ms: 1_000,
      })],
  ];
  for (const [name, run] of sections) {
    if (!cfg.BENCH_ONLY.has(name) || stopCode !== undefined) continue;
    const t0 = performance.now();
    try {
      await run();
    } catch (err) {
      log(`\n  ${name}: the section failed: ${(err as Error).stack ?? err}`);
      goals.push({
        section: name,
        what: "section ran to the end",
        measured: (err as Error).message,
        goal: "",
        pass: false,
      });
    } finally {
      await runCleanups();
    }
    log(`  (${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  finalSummary(performance.now() - started);
  return code || (goals.some((g) => g.pass === false) ? 1 : 0);
}

/** The final table: every goal of this run with PASS/FAIL. */
function finalSummary(totalMs: number): void {
  heading("Summary of all goals");
  log(table(
    ["section", "figure", "measured", "goal", "verdict"],
    goals.map((
      g,
    ) => [
      g.section,
      g.what,
      g.measured.length > 90 ? g.measured.slice(0, 87) + "..." : g.measured,
      g.goal,
      verdict(g.pass),
    ]),
  ));
  const failed = goals.filter((g) => g.pass === false).length;
  log(
    `\n${goals.length - failed} of ${goals.length} goals met; whole bench ${
      (totalMs / 1000).toFixed(0)
    } s on ${navigator.hardwareConcurrency} CPUs (${Deno.build.os} ${Deno.build.arch}, Deno ${Deno.version.deno})`,
  );
}

/** Sections 1-3: the generated tree's reads against recursive CTEs, and the what-if simulator. */
async function treeAndSimulator(started: number): Promise<number> {
  log(
    `members ${int(cfg.BENCH_MEMBERS)}, orders ${int(cfg.BENCH_ORDERS)}, products ${cfg.BENCH_PRODUCTS}, ` +
      `levels ${cfg.BENCH_GENERATIONS}; reads: ${cfg.BENCH_WARMUP} warm-up + ${cfg.BENCH_REPS} timed rounds, ` +
      `${cfg.BENCH_LEAVES} leaves; simulator: ${cfg.BENCH_SIM_WARMUP} + ${cfg.BENCH_SIM_REPS}; goal < ${cfg.BENCH_GOAL_PCT} %`,
  );
  db = await openDb({
    databaseUrl: connectionUrl(cfg.DATABASE_URL, appName, statementTimeoutMs),
    schema,
    maxConnections: 4,
  });
  const dbx = stoppable(db);
  await migrate(dbx);

  // 1. Data ------------------------------------------------------------------------------------
  heading("1. Generating data (set-based SQL)");
  const now = new Date();
  const gen = await generate(dbx, cfg, now, log);
  log(
    `  ${"total".padEnd(44)} ${(gen.totalMs / 1000).toFixed(2).padStart(8)} s` +
      (gen.superuserLoad ? "   (FK triggers skipped during the load: superuser)" : ""),
  );
  log(`  rows: ${Object.entries(gen.rows).map(([t, n]) => `${t} ${int(n)}`).join(", ")}`);

  const reads = cfg.BENCH_ONLY.has("tree") ? await measureReads(dbx, gen, now) : undefined;
  const sim = cfg.BENCH_ONLY.has("simulator") ? await measureSimulator(dbx, now) : undefined;
  summary(gen, reads, sim, performance.now() - started);
  return reads?.problems.length ? 1 : 0;
}

async function measureReads(db: Db, gen: Generated, now: Date): Promise<Reads> {
  heading("Tree");
  const rootId = "1";
  const tiers = await db.query<{ depth: number; members: number }>(
    "SELECT depth, members FROM team_counts WHERE ancestor_id = $1 ORDER BY depth",
    [rootId],
  );
  const rootTiers = [1, 2, 3].map((d) => tiers.find((t) => t.depth === d)?.members ?? 0);
  const t0 = performance.now();
  const [down] = await db.query<{ n: string }>(
    `WITH RECURSIVE d(id) AS (SELECT id FROM users WHERE upline_id = $1
       UNION ALL SELECT u.id FROM d JOIN users u ON u.upline_id = d.id) SELECT count(*) AS n FROM d`,
    [rootId],
  );
  const rootDownlineMs = performance.now() - t0;
  const leaves = (await db.query<{ id: string }>(
    `SELECT u.id FROM users u
      WHERE u.upline_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users c WHERE c.upline_id = u.id)
      ORDER BY bench_u(u.id, 51) LIMIT $1`,
    [cfg.BENCH_LEAVES],
  )).map((r) => String(r.id));
  const depths = leaves.map((id) => levelOf(gen.levels, Number(id)));
  const leafDepthAvg = depths.reduce((a, b) => a + b, 0) / depths.length;
  const leafDepthMax = Math.max(...depths);
  log(
    `  roots ${gen.levels[0].size}, levels ${gen.levels.length} (leaves of the last level have ${
      gen.levels.length - 1
    } uplines); level sizes ${gen.levels.map((g) => int(g.size)).join(" / ")}`,
  );
  log(
    `  root #${rootId}: tiers 1..3 = ${rootTiers.map(int).join(" / ")} (${
      int(rootTiers.reduce((a, b) => a + b, 0))
    }), ` +
      `whole downline ${int(Number(down.n))} (recursive count took ${ms(rootDownlineMs)})`,
  );
  log(
    `  ${leaves.length} leaves sampled uniformly among all leaves: chain length avg ${
      leafDepthAvg.toFixed(1)
    }, max ${leafDepthMax}`,
  );

  heading("Checking that production and baselines return the same answers");
  const problems = await verify(db, rootId, leaves, now);
  if (problems.length) { for (const p of problems) log(`  MISMATCH: ${p}`); }
  else log("  team figures, team page + totals and uplines: identical");

  heading(`2. Reads: ${cfg.BENCH_WARMUP} warm-up + ${cfg.BENCH_REPS} timed rounds (client wall time, median)`);
  const cases = readCases(db, rootId, leaves, now);
  const samples = await timeCases(cases, cfg.BENCH_WARMUP, cfg.BENCH_REPS);
  const label: Record<string, string> = {
    "a.prod.figures": "(a) production teamFigures(root)",
    "a.prod.page": "(a) production teamForApi(root, depth 3, page 1 of 50)",
    "a.base.figures": "(a) baseline recursive CTE: figures",
    "a.base.page": "(a) baseline recursive CTE: team page",
    "b.prod": "(b) production referral_paths uplines (per leaf)",
    "b.base.walk": "(b) baseline recursive walk to the root (per leaf)",
    "b.base.walk3": `(b) baseline recursive walk, depth <= ${MAX_TIERS} (per leaf)`,
  };
  log(table(
    ["case", "median", "min", "p90"],
    cases.map((c) => {
      const s = samples.get(c.key)!;
      return [label[c.key], ms(median(s)), ms(Math.min(...s)), ms(quantile(s, 0.9))];
    }),
  ));

  heading("Server-side time of the same statements (EXPLAIN ANALYZE, TIMING OFF; informational)");
  const server = await serverCases(db, rootId, leaves, now, Math.min(5, cfg.BENCH_REPS));
  log(table(
    ["case", "statements", "server median"],
    cases.map((c) => [
      label[c.key],
      String(server.statements.get(c.key)!.length / c.ops),
      ms(server.medians.get(c.key)!),
    ]),
  ));
  // Where a production path misses the goal even on the server, show how PostgreSQL ran it.
  const goal = cfg.BENCH_GOAL_PCT / 100;
  for (
    const [prod, base] of [["a.prod.figures", "a.base.figures"], ["a.prod.page", "a.base.page"], [
      "b.prod",
      "b.base.walk",
    ]]
  ) {
    const ratio = server.medians.get(prod)! / server.medians.get(base)!;
    if (ratio < goal) continue;
    log(`\n  note: ${label[prod]} needs ${pct(ratio)} of its baseline's server time; executed plan(s):`);
    for (const statement of server.statements.get(prod)!.slice(0, prod.startsWith("b.") ? 1 : undefined)) {
      log((await planOutline(db, statement)).replace(/^/gm, "    "));
    }
  }
  if (cfg.BENCH_EXPLAIN) {
    for (const key of ["a.prod.figures", "a.prod.page", "a.base.figures", "a.base.page"]) {
      log(`\n-- ${label[key]}`);
      log(await explainText(db, server.statements.get(key)!));
    }
    log(`\n-- ${label["b.prod"]}`);
    log(await explainText(db, server.statements.get("b.prod")!.slice(0, 1)));
    log(`\n-- ${label["b.base.walk"]}`);
    log(await explainText(db, server.statements.get("b.base.walk")!.slice(0, 1)));
  }
  return {
    samples,
    server: server.medians,
    rootTiers,
    rootDownline: Number(down.n),
    rootDownlineMs,
    leafDepthAvg,
    leafDepthMax,
    problems,
  };
}

async function measureSimulator(db: Db, now: Date): Promise<SimulatorResult> {
  heading(`3. What-if simulator: ${cfg.BENCH_SIM_WARMUP} warm-up + ${cfg.BENCH_SIM_REPS} timed runs`);
  log(`  draft plan: ${JSON.stringify(DRAFT_PLAN)}`);
  const sim = await benchSimulator(db, now, cfg.BENCH_SIM_WARMUP, cfg.BENCH_SIM_REPS);
  const wall = median(sim.wallMs);
  log(
    `  ${int(sim.orders)} orders in ${ms(wall)} (median wall) = ${int(sim.orders / (wall / 1000))} orders/s; ` +
      `timing.totalMs ${int(median(sim.totalMs))}, computeMs ${int(median(sim.computeMs))}, ` +
      `database + assembly ${int(median(sim.totalMs) - median(sim.computeMs))} ms`,
  );
  log(
    `  sales ¥${sim.sales}, payout ¥${sim.payout}, payout share ${sim.payoutShare} (actual payout ¥${sim.actualPayout})`,
  );
  if (sim.violations.length) log(`  compliance violations: ${sim.violations.join("; ")}`);
  return sim;
}

function summary(gen: Generated, reads: Reads | undefined, sim: SimulatorResult | undefined, totalMs: number) {
  if (reads) treeSummary(gen, reads, totalMs);
  if (sim) simulatorSummary(sim);
}

function treeSummary(gen: Generated, reads: Reads, totalMs: number) {
  const s = reads.samples;
  const goal = cfg.BENCH_GOAL_PCT / 100;
  const m = (keys: string[]) => median(combine(s, keys));
  const aProd = m(["a.prod.figures", "a.prod.page"]);
  const aBase = m(["a.base.figures"]);
  const aBaseFull = m(["a.base.figures", "a.base.page"]);
  const bProd = m(["b.prod"]);
  const bWalk = m(["b.base.walk"]);
  const bWalk3 = m(["b.base.walk3"]);
  const pairProd = m(["a.prod.figures", "a.prod.page", "b.prod"]);
  const pairBase = m(["a.base.figures", "b.base.walk"]);
  const pairBase3 = m(["a.base.figures", "b.base.walk3"]);
  const verdict = (r: number) => (r < goal ? "PASS" : "FAIL");
  const srv = (keys: string[]) => keys.reduce((t, k) => t + reads.server.get(k)!, 0);

  heading("Summary");
  log(
    `members ${int(gen.rows.users)} (${gen.levels.length} levels, root tiers ${
      reads.rootTiers.map(int).join(" / ")
    }, ` +
      `root downline ${int(reads.rootDownline)}), referral_paths ${int(gen.rows.referral_paths)}, team_counts ${
        int(gen.rows.team_counts)
      }, team_daily ${int(gen.rows.team_daily)}, orders ${int(gen.rows.orders)}, order_items ${
        int(gen.rows.order_items)
      }`,
  );
  log(`generation ${(gen.totalMs / 1000).toFixed(1)} s; whole bench ${(totalMs / 1000).toFixed(1)} s\n`);

  const rows: string[][] = [
    [
      "(a) teamFigures + teamForApi page vs recursive figures CTE",
      ms(aProd),
      ms(aBase),
      pct(aProd / aBase),
      pct(srv(["a.prod.figures", "a.prod.page"]) / srv(["a.base.figures"])),
      verdict(aProd / aBase),
    ],
    [
      "(b) referral_paths uplines vs recursive walk to root",
      ms(bProd),
      ms(bWalk),
      pct(bProd / bWalk),
      pct(srv(["b.prod"]) / srv(["b.base.walk"])),
      verdict(bProd / bWalk),
    ],
    [
      "(a)+(b) combined",
      ms(pairProd),
      ms(pairBase),
      pct(pairProd / pairBase),
      pct(srv(["a.prod.figures", "a.prod.page", "b.prod"]) / srv(["a.base.figures", "b.base.walk"])),
      verdict(pairProd / pairBase),
    ],
    [
      "  part: teamFigures vs recursive figures CTE",
      ms(m(["a.prod.figures"])),
      ms(aBase),
      pct(m(["a.prod.figures"]) / aBase),
      pct(srv(["a.prod.figures"]) / srv(["a.base.figures"])),
      "",
    ],
    [
      "  part: teamForApi page vs recursive team-page CTE",
      ms(m(["a.prod.page"])),
      ms(m(["a.base.page"])),
      pct(m(["a.prod.page"]) / m(["a.base.page"])),
      pct(srv(["a.prod.page"]) / srv(["a.base.page"])),
      "",
    ],
    [
      "second baseline: (b) vs walk cut at depth 3",
      ms(bProd),
      ms(bWalk3),
      pct(bProd / bWalk3),
      pct(srv(["b.prod"]) / srv(["b.base.walk3"])),
      verdict(bProd / bWalk3),
    ],
    [
      "second baseline: (a)+(b) with the cut walk",
      ms(pairProd),
      ms(pairBase3),
      pct(pairProd / pairBase3),
      pct(srv(["a.prod.figures", "a.prod.page", "b.prod"]) / srv(["a.base.figures", "b.base.walk3"])),
      verdict(pairProd / pairBase3),
    ],
    [
      "like for like: (a) vs recursive figures + recursive page",
      ms(aProd),
      ms(aBaseFull),
      pct(aProd / aBaseFull),
      pct(srv(["a.prod.figures", "a.prod.page"]) / srv(["a.base.figures", "a.base.page"])),
      verdict(aProd / aBaseFull),
    ],
  ];
  log(table(
    ["read (median over rounds)", "production", "baseline", "ratio", "server ratio", `goal < ${cfg.BENCH_GOAL_PCT} %`],
    rows,
  ));
  log("\nratio = production ÷ baseline, client wall time through the app's Db port (the gate);");
  log("server ratio = the same from EXPLAIN ANALYZE planning + execution time (no network/driver).");
  for (const [i, name] of ["(a)", "(b)", "(a)+(b) combined"].entries()) {
    log(`${rows[i][5]} ${name}: ${rows[i][3]} of the baseline (goal: under ${cfg.BENCH_GOAL_PCT} %)`);
    goals.push({
      section: "tree",
      what: rows[i][0],
      measured: `${rows[i][3]} of the baseline`,
      goal: `< ${cfg.BENCH_GOAL_PCT} %`,
      pass: rows[i][5] === "PASS",
    });
  }
  if (reads.problems.length) {
    log(`\n${reads.problems.length} MISMATCH(ES) between production and baselines — see above.`);
    goals.push({
      section: "tree",
      what: "production and baselines agree",
      measured: `${reads.problems.length} mismatches`,
      goal: "0",
      pass: false,
    });
  }
}

function simulatorSummary(sim: SimulatorResult) {
  const wall = median(sim.wallMs);
  log("");
  log(table(
    ["simulator (median)", "orders", "wall", "orders/s", "totalMs", "computeMs", "payout", "payout share"],
    [[
      "simulateDraft 8 % / 4 % / 2 % of paid amount",
      int(sim.orders),
      ms(wall),
      int(sim.orders / (wall / 1000)),
      int(median(sim.totalMs)),
      int(median(sim.computeMs)),
      `¥${sim.payout}`,
      sim.payoutShare,
    ]],
  ));
}

let code = 1;
try {
  code = await main();
} catch (err) {
  if (stopCode === undefined) console.error(`\nBench failed: ${(err as Error).stack ?? err}`);
} finally {
  clearTimeout(watchdog);
  await runCleanups();
  await dropSchema(false);
  clearTimeout(fallback);
  Deno.removeSignalListener("SIGINT", onSigint);
  Deno.removeSignalListener("SIGTERM", onSigterm);
}
Deno.exit(stopCode ?? code);
