/**
 * (b) Flash sale: `buyers` members (in a second process, bench/flash_client.ts) try to buy one of `units`
 * units of one product within `seconds`. Goals: exactly `units` paid orders, every other buyer a clear
 * 409 out_of_stock, no 5xx, and the ledger and stock invariants hold afterwards.
 */
import type { FlashJob, FlashResult } from "./flash_client.ts";
import {
  check,
  heading,
  invariants,
  log,
  openSetupDb,
  SANDBOX_SECRET,
  scratchDatabase,
  seedShop,
  spawnDeno,
  startApp,
  StatusCounts,
} from "./harness.ts";

/** Settings of the flash-sale section. */
export interface FlashConfig {
  databaseUrl: string;
  buyers: number;
  units: number;
  seconds: number;
  chains: number;
  concurrency: number;
  requestTimeoutMs: number;
}

/** Runs the flash-sale section; records its goals. */
export async function benchFlashSale(cfg: FlashConfig): Promise<void> {
  heading(`4b. Flash sale: ${cfg.buyers} buyers, ${cfg.units} units of one product, ${cfg.seconds} s`);
  const scratch = await scratchDatabase(cfg.databaseUrl, "bench_app");
  const app = await startApp("app", scratch.url);
  const db = await openSetupDb(scratch.url);
  const jobFile = await Deno.makeTempFile({ prefix: "bench_flash_", suffix: ".json" });
  try {
    const data = await seedShop(db, {
      chains: cfg.chains,
      buyers: cfg.buyers,
      managers: 0,
      spread: 0,
      stock: 0,
      hotStock: cfg.units,
    });
    const job: FlashJob = {
      url: app.url,
      productId: data.hotProductId,
      cookies: data.buyers.map((b) => b.cookie),
      secret: SANDBOX_SECRET,
      seconds: cfg.seconds,
      concurrency: cfg.concurrency,
      timeoutMs: cfg.requestTimeoutMs,
    };
    await Deno.writeTextFile(jobFile, JSON.stringify(job));
    log(
      `  app ${app.url}; ${cfg.buyers} buyers under ${cfg.chains} chains (3 uplines each), product #${data.hotProductId} ` +
        `with ${cfg.units} units; client process: ${cfg.concurrency} buyers in flight at most`,
    );
    const client = spawnDeno("flash_client", "./flash_client.ts", {}, [jobFile]);
    const result = await client.next<FlashResult>((cfg.seconds * 1000) + cfg.requestTimeoutMs * 3 + 30_000);
    await client.stop();
    const counts = new StatusCounts();
    counts.merge(result.counts);
    log(
      `  ${result.paid} paid, ${result.outOfStock} out_of_stock, ${result.failed} failed, ${result.notStarted} not started ` +
        `in ${(result.elapsedMs / 1000).toFixed(1)} s; paid between ${
          ((result.firstPaidMs ?? NaN) / 1000).toFixed(2)
        } s and ${((result.lastPaidMs ?? NaN) / 1000).toFixed(2)} s`,
    );
    log(`  status counts: ${counts.format()}`);
    const logCounts = app.logCounts();
    log(`  app error log lines: ${Object.entries(logCounts).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);

    const [db_] = await db.query<{ paid: string; units: string; stock: number; reserved: number }>(
      `SELECT (SELECT count(DISTINCT o.id) FROM orders o JOIN order_items i ON i.order_id = o.id
                WHERE i.product_id = $1 AND o.paid_at IS NOT NULL) AS paid,
              (SELECT coalesce(sum(i.quantity), 0) FROM orders o JOIN order_items i ON i.order_id = o.id
                WHERE i.product_id = $1 AND o.paid_at IS NOT NULL) AS units,
              p.stock, p.reserved
         FROM products p WHERE p.id = $1`,
      [data.hotProductId],
    );
    log(
      `  database: ${db_.paid} paid orders (${db_.units} units), product stock ${db_.stock}, reserved ${db_.reserved}`,
    );
    const s = "b flash sale";
    check(
      s,
      "paid orders",
      `${result.paid} by the client, ${db_.paid} in the database`,
      `exactly ${cfg.units}`,
      result.paid === cfg.units && Number(db_.paid) === cfg.units,
    );
    const others = cfg.buyers - cfg.units;
    check(
      s,
      "every other buyer a clear 409 out_of_stock",
      `${result.outOfStock} of ${others} (${result.failed} failed otherwise, ${result.notStarted} not started)`,
      `${others}`,
      result.outOfStock === others,
    );
    check(s, "5xx answers", `${counts.serverErrors()}`, "0", counts.serverErrors() === 0);
    check(
      s,
      "sold within the sale",
      result.lastPaidMs === null ? "nothing sold" : `last paid at ${(result.lastPaidMs / 1000).toFixed(2)} s`,
      `≤ ${cfg.seconds} s`,
      result.lastPaidMs !== null && result.lastPaidMs <= cfg.seconds * 1000,
    );
    for (const inv of await invariants(db)) {
      check(s, inv.name, `${inv.violations} violations`, "0", inv.violations === 0);
    }
  } finally {
    await Deno.remove(jobFile).catch(() => {});
    await db.closeNow();
    await app.stop();
    await scratch.drop();
  }
}
