/**
 * (a) Checkout over HTTP against a real app instance on PostgreSQL: create order + start payment + signed
 * sandbox webhook (which posts three tiers of commission and the outbox events), with N concurrent buyers
 * on one hot product and spread over many products. Baseline: pgbench TPC-B on the same server in the
 * same run. Goal: paid orders/s ≥ 0.1 × pgbench tps, 0 errors, at most 40 round trips per checkout.
 */
import { SandboxProvider } from "../services/payment_provider.ts";
import type { RouteCounts } from "./app_server.ts";
import {
  check,
  checkout,
  heading,
  log,
  openSetupDb,
  pgbenchTps,
  SANDBOX_SECRET,
  scratchDatabase,
  seedShop,
  startApp,
  StatusCounts,
  stopping,
} from "./harness.ts";
import { int, table } from "./stats.ts";

/** Settings of the checkout section. */
export interface CheckoutConfig {
  databaseUrl: string;
  concurrency: number[];
  seconds: number;
  maxPerBuyer: number;
  spreadProducts: number;
  chains: number;
  requestTimeoutMs: number;
  pgbench: { scale: number; clients: number; seconds: number };
  goalRatio: number;
  goalRoundTrips: number;
}

/** One measured scenario. */
interface Scenario {
  name: string;
  concurrency: number;
  products: "hot" | "spread";
  paid: number;
  seconds: number;
  perSecond: number;
  counts: StatusCounts;
  statements: number;
  roundTrips: number;
  transactions: number;
  retries: number | null;
  appLog: Record<string, number>;
}

const per = (r: RouteCounts | undefined, key: "statements" | "roundTrips" | "transactions") =>
  r && r.requests ? r[key] / r.requests : 0;

/** Runs the checkout section; records its goals. */
export async function benchCheckout(cfg: CheckoutConfig): Promise<void> {
  heading("4a. Checkout over HTTP (create + pay + signed webhook + 3 tiers + outbox) vs pgbench TPC-B");
  const baseline = await pgbenchTps(cfg.databaseUrl, cfg.pgbench);
  log(`  baseline pgbench TPC-B: ${baseline.tps.toFixed(0)} tps (${baseline.detail})`);

  const scratch = await scratchDatabase(cfg.databaseUrl, "bench_app");
  const app = await startApp("app", scratch.url);
  const db = await openSetupDb(scratch.url);
  try {
    const maxConc = Math.max(...cfg.concurrency);
    const t0 = performance.now();
    const data = await seedShop(db, {
      chains: cfg.chains,
      buyers: maxConc,
      managers: 0,
      spread: cfg.spreadProducts,
      stock: 1_000_000,
      hotStock: 1_000_000,
    });
    log(
      `  app ${app.url} on a scratch database; ${cfg.chains} referral chains of 3 distributors, ${maxConc} buyers ` +
        `(each with 3 uplines), 1 hot + ${cfg.spreadProducts} products; setup ${
          ((performance.now() - t0) / 1000).toFixed(1)
        } s`,
    );
    const provider = new SandboxProvider(SANDBOX_SECRET);

    // Warm-up (untimed): one checkout per buyer, 8 at a time, so first-order work (ledger accounts,
    // team rows, the plan) and cold caches are not in the timed scenarios.
    const warm = new StatusCounts();
    let nextBuyer = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (nextBuyer < data.buyers.length && !stopping.signal.aborted) {
        const b = nextBuyer++;
        await checkout(
          app.url,
          data.buyers[b].cookie,
          data.productIds[b % data.productIds.length],
          provider,
          warm,
          cfg.requestTimeoutMs,
        );
      }
    }));
    log(`  warm-up: ${warm.format()}`);

    const scenarios: Scenario[] = [];
    for (const concurrency of cfg.concurrency) {
      for (const products of ["hot", "spread"] as const) {
        await app.reset();
        const logBefore = app.logCounts();
        const counts = new StatusCounts();
        let paid = 0;
        const started = performance.now();
        const deadline = started + cfg.seconds * 1000;
        await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
          const buyer = data.buyers[w];
          for (let i = 0; i < cfg.maxPerBuyer && performance.now() < deadline && !stopping.signal.aborted; i++) {
            const productId = products === "hot"
              ? data.hotProductId
              : data.productIds[(w * 7 + i) % data.productIds.length];
            const outcome = await checkout(app.url, buyer.cookie, productId, provider, counts, cfg.requestTimeoutMs);
            if (outcome === "paid") paid++;
          }
        }));
        const seconds = (performance.now() - started) / 1000;
        const counters = await app.counters();
        const r = counters.routes;
        const logAfter = app.logCounts();
        const appLog = Object.fromEntries(
          Object.entries(logAfter).map(([k, v]) => [k, v - (logBefore[k] ?? 0)]).filter(([, v]) => Number(v) > 0),
        );
        const s: Scenario = {
          name: `${concurrency} buyers, ${products === "hot" ? "1 hot product" : `${cfg.spreadProducts} products`}`,
          concurrency,
          products,
          paid,
          seconds,
          perSecond: paid / seconds,
          counts,
          statements: per(r.create, "statements") + per(r.pay, "statements") + per(r.webhook, "statements"),
          roundTrips: per(r.create, "roundTrips") + per(r.pay, "roundTrips") + per(r.webhook, "roundTrips"),
          transactions: per(r.create, "transactions") + per(r.pay, "transactions") + per(r.webhook, "transactions"),
          retries: counters.retries,
          appLog,
        };
        scenarios.push(s);
        log(
          `  ${s.name}: ${int(paid)} paid in ${seconds.toFixed(1)} s = ${s.perSecond.toFixed(1)} paid orders/s; ` +
            `statements/checkout ${s.statements.toFixed(1)} (create ${per(r.create, "statements").toFixed(1)}, pay ${
              per(r.pay, "statements").toFixed(1)
            }, webhook ${per(r.webhook, "statements").toFixed(1)}), round trips ${s.roundTrips.toFixed(1)}`,
        );
        log(`    status counts: ${counts.format()}`);
        log(
          `    retries (40001/40P01): ${s.retries ?? "n/a"}; app error log lines: ${
            Object.entries(appLog).map(([k, v]) => `${k} ${v}`).join(", ") || "none"
          }; background statements ${
            int(
              counters.total.statements - (r.create?.statements ?? 0) - (r.pay?.statements ?? 0) -
                (r.webhook?.statements ?? 0),
            )
          }`,
        );
      }
    }

    log("");
    log(table(
      ["scenario", "paid/s", "× pgbench", "errors", "stmts/checkout", "round trips", "tx", "retries"],
      scenarios.map((s) => [
        s.name,
        s.perSecond.toFixed(1),
        (s.perSecond / baseline.tps).toFixed(3),
        String(s.counts.errors()),
        s.statements.toFixed(1),
        s.roundTrips.toFixed(1),
        s.transactions.toFixed(1),
        s.retries === null ? "n/a" : String(s.retries),
      ]),
    ));
    log(`  pgbench TPC-B ${baseline.tps.toFixed(0)} tps; goal paid/s ≥ ${cfg.goalRatio} × pgbench`);
    for (const s of scenarios) {
      const ratio = s.perSecond / baseline.tps;
      check(
        "a checkout",
        `${s.name}: paid orders/s vs pgbench tps`,
        `${s.perSecond.toFixed(1)}/s = ${ratio.toFixed(3)}× (${s.statements.toFixed(1)} statements, ${
          s.roundTrips.toFixed(1)
        } round trips/checkout)`,
        `≥ ${cfg.goalRatio}×`,
        ratio >= cfg.goalRatio,
      );
      check(
        "a checkout",
        `${s.name}: errors`,
        `${s.counts.errors()} (${s.counts.format()}); retries ${s.retries ?? "n/a"}`,
        "0",
        s.counts.errors() === 0,
      );
      check(
        "a checkout",
        `${s.name}: round trips per checkout`,
        `${s.roundTrips.toFixed(1)} (${s.statements.toFixed(1)} statements + BEGIN/COMMIT)`,
        `≤ ${cfg.goalRoundTrips}`,
        s.roundTrips <= cfg.goalRoundTrips,
      );
    }
  } finally {
    await db.closeNow();
    await app.stop();
    await scratch.drop();
  }
}
