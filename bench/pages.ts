/**
 * (c) Anonymous pages under load (wrk): the shop home `/`, a category `/?category=<id>` and a product
 * page `/products/<id>`, on embedded PGlite and on PostgreSQL (demo data), against bare `Deno.serve`
 * answering "hello" in the same run; Hono on Deno.serve answering "hello" is printed as the ceiling of
 * the app's stack. Goal: every page ≥ 0.3 × bare Deno.serve, asked as wrk asks (no Accept-Encoding, so the
 * whole page uncompressed, and no cookie, so every request a new visitor). Each page is also measured as a
 * browser asks (compressed), printed for information.
 */
import {
  call,
  check,
  heading,
  log,
  scratchDatabase,
  spawnDeno,
  startApp,
  stopping,
  wrk,
  type WrkResult,
} from "./harness.ts";
import { table } from "./stats.ts";

/** What a browser sends as Accept-Encoding (Chromium's). */
const BROWSER_ENCODINGS = "gzip, deflate, br, zstd";

/** Settings of the pages section. */
export interface PagesConfig {
  databaseUrl: string;
  connections: number;
  seconds: number;
  goalRatio: number;
}

async function hello(mode: "deno" | "hono", opts: PagesConfig): Promise<WrkResult> {
  const child = spawnDeno(`hello_${mode}`, "./hello_server.ts", {}, [mode]);
  try {
    const { url } = await child.next<{ url: string }>(60_000);
    await wrk(`${url}/`, { connections: opts.connections, seconds: 1 }); // warm-up
    return await wrk(`${url}/`, opts);
  } finally {
    await child.stop();
  }
}

/** Waits (at most 30 s) until the server answers promptly again: what wrk left queued has drained. */
async function settle(url: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until && !stopping.signal.aborted) {
    const t0 = performance.now();
    await call(url, "GET", "/healthz", { timeoutMs: 30_000 });
    if (performance.now() - t0 < 200) return;
  }
}

/** Runs the pages section; records its goals. */
export async function benchPages(cfg: PagesConfig): Promise<void> {
  heading(`4c. Anonymous pages (wrk -t1 -c${cfg.connections} -d${cfg.seconds}s) vs bare Deno.serve "hello"`);
  const measured: { name: string; r: WrkResult }[] = [];
  // The baseline swings from run to run on a small machine: it is measured before and after the pages,
  // and the faster of the two counts (the stricter ratio).
  const bareBefore = await hello("deno", cfg);
  measured.push({ name: 'bare Deno.serve "hello" (baseline, before the pages)', r: bareBefore });
  const hono = await hello("hono", cfg);
  measured.push({ name: 'Hono on Deno.serve "hello" (ceiling)', r: hono });
  log(`  bare Deno.serve ${bareBefore.rps.toFixed(0)} req/s; Hono on Deno.serve ${hono.rps.toFixed(0)} req/s`);

  const results: { db: string; page: string; r: WrkResult }[] = [];
  const browser: { db: string; page: string; r: WrkResult }[] = [];
  for (const db of ["pglite", "postgres"] as const) {
    if (stopping.signal.aborted) break;
    const scratch = db === "postgres" ? await scratchDatabase(cfg.databaseUrl, "bench_app") : undefined;
    const t0 = performance.now();
    const app = await startApp(`app_${db}`, scratch?.url ?? "pglite", { demo: true, startTimeoutMs: 300_000 });
    try {
      // The category and product the home page links to first (categories are linked by slug).
      const home = await fetch(`${app.url}/`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
      const category = home.match(/href="\/\?category=([^"&]+)"/)?.[1];
      const product = home.match(/href="\/products\/(\d+)"/)?.[1];
      log(
        `  ${db}: app with demo data up in ${((performance.now() - t0) / 1000).toFixed(1)} s; category ${category}, ` +
          `product ${product}`,
      );
      const pages: [string, string][] = [["home /", "/"]];
      if (category) pages.push([`category /?category=${category}`, `/?category=${category}`]);
      if (product) pages.push([`product /products/${product}`, `/products/${product}`]);
      for (const [name, path] of pages) {
        if (stopping.signal.aborted) break;
        // Warm-up: a few sequential requests (a wrk warm-up would leave a backlog on a slow page).
        let first = 0;
        for (let i = 0; i < 5; i++) first = (await call(app.url, "GET", path, { timeoutMs: 30_000 })).status;
        const r = await wrk(`${app.url}${path}`, cfg);
        await settle(app.url);
        results.push({ db, page: name, r });
        measured.push({ name: `${db}: ${name} (answer ${first})`, r });
        // Informational: as a browser asks (compressed), which is what shoppers get.
        const b = await wrk(`${app.url}${path}`, { ...cfg, headers: { "Accept-Encoding": BROWSER_ENCODINGS } });
        await settle(app.url);
        measured.push({ name: `${db}: ${name}, as a browser asks (${BROWSER_ENCODINGS})`, r: b });
        browser.push({ db, page: name, r: b });
      }
    } finally {
      await app.stop();
      await scratch?.drop();
    }
  }
  const bareAfter = await hello("deno", cfg);
  const bare = bareAfter.rps > bareBefore.rps ? bareAfter : bareBefore;
  measured.push({ name: 'bare Deno.serve "hello" (baseline, after the pages)', r: bareAfter });
  log(`  baseline: the faster bare run, ${bare.rps.toFixed(0)} req/s`);
  log("");
  log(table(
    ["server and URL", "req/s", "× bare", "latency avg", "non-2xx", "socket errors"],
    measured.map(({ name, r }) => [
      name,
      r.rps.toFixed(0),
      (r.rps / bare.rps).toFixed(3),
      r.latencyAvg,
      String(r.non2xx),
      r.socketErrors,
    ]),
  ));
  check(
    "c pages",
    'Hono on Deno.serve "hello" (ceiling, informational)',
    `${hono.rps.toFixed(0)} req/s = ${(hono.rps / bare.rps).toFixed(3)}× bare`,
    "-",
    null,
  );
  for (const { db, page, r } of browser) {
    check(
      "c pages",
      `${db}: ${page}, compressed as a browser asks (informational)`,
      `${r.rps.toFixed(0)} req/s = ${(r.rps / bare.rps).toFixed(3)}× bare`,
      "-",
      null,
    );
  }
  for (const { db, page, r } of results) {
    const ratio = r.rps / bare.rps;
    const clean = r.non2xx === 0;
    check(
      "c pages",
      `${db}: ${page}`,
      `${r.rps.toFixed(0)} req/s = ${ratio.toFixed(3)}× bare ${bare.rps.toFixed(0)}${
        clean ? "" : `; ${r.non2xx} non-2xx`
      }`,
      `≥ ${cfg.goalRatio}×, all 2xx`,
      ratio >= cfg.goalRatio && clean,
    );
  }
}
