/**
 * A real app instance for the hot-path benches, run as a subprocess (`deno run -A bench/app_server.ts`):
 * `startServer` from main.ts on PostgreSQL (`BENCH_APP_DB` = a postgres URL) or on in-memory PGlite
 * (`BENCH_APP_DB=pglite`), with the app's Db wrapped so that every statement and round trip is counted
 * (nothing in the app changes). Statements are attributed to the HTTP request that issued them through
 * AsyncLocalStorage, so concurrent checkouts are counted exactly per route.
 *
 * Prints one JSON line `{ "ready": true, "url", "control" }` on stdout when listening; the app's log
 * goes to stderr. The control server (another port) answers `GET /counters` and `POST /reset`.
 * Exits on SIGTERM/SIGINT, when stdin closes (the bench died) or after `BENCH_APP_MAX_S` seconds.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Db, openDb } from "../db/db.ts";
import { parseSettings } from "../config.ts";
import { createLogger, type LogLevel } from "../lib/log.ts";
import { startServer } from "../main.ts";

/** Statements and round trips issued while serving one request (or in the background). */
interface Tally {
  statements: number;
  roundTrips: number;
  transactions: number;
}

/** Per-route totals over the requests that finished since the last reset. */
export interface RouteCounts extends Tally {
  requests: number;
}

/** What `GET /counters` answers. */
export interface Counters {
  /** Everything the app sent to the database, requests and background work (dispatcher, scheduler, sockets). */
  total: Tally;
  /** By route label: create (POST /api/orders), pay, webhook, other (reads are not tallied). */
  routes: Record<string, RouteCounts>;
  /** SQLSTATE 40001/40P01 retries, when the app exports a counter; null when it does not (yet). */
  retries: number | null;
}

const zero = (): Tally => ({ statements: 0, roundTrips: 0, transactions: 0 });
const als = new AsyncLocalStorage<Tally>();
let total = zero();
let routes = new Map<string, RouteCounts>();

function add(statements: number, roundTrips: number, transactions = 0): void {
  total.statements += statements;
  total.roundTrips += roundTrips;
  total.transactions += transactions;
  const t = als.getStore();
  if (t) {
    t.statements += statements;
    t.roundTrips += roundTrips;
    t.transactions += transactions;
  }
}

/**
 * The app's Db with counting: a query or exec is one statement and one round trip; a transaction adds
 * two round trips (BEGIN and COMMIT/ROLLBACK, or SAVEPOINT and RELEASE when nested).
 */
function counting(inner: Db): Db {
  return {
    kind: inner.kind,
    query: (sql, params) => (add(1, 1), inner.query(sql, params)),
    exec: (sql) => (add(1, 1), inner.exec(sql)),
    transaction: (fn) => (add(0, 2, 1), inner.transaction((tx) => fn(counting(tx)))),
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    close: () => inner.close(),
  };
}

/** The label a request's statements are added to. */
function routeLabel(method: string | undefined, url: string | undefined): string {
  const path = (url ?? "/").split("?")[0];
  if (method === "POST" && path === "/api/orders") return "create";
  if (method === "POST" && /^\/api\/orders\/\d+\/pay$/.test(path)) return "pay";
  if (method === "POST" && path === "/api/payments/webhook/sandbox") return "webhook";
  return "other";
}

/**
 * TODO(retries): the lead is adding a counter of SQLSTATE 40001/40P01 retries. Until its name is known,
 * any numeric export of db/db.ts whose name mentions "retr" (a number, `{ count }`, or a function
 * returning a number) is read; none today, so the bench prints "retries: n/a".
 */
async function readRetries(): Promise<number | null> {
  const { totalRetries } = await import("../db/retry.ts");
  return totalRetries();
}

const env = Deno.env.toObject();
const target = env.BENCH_APP_DB ?? "pglite";
const maxS = Number(env.BENCH_APP_MAX_S ?? "900");
const log = createLogger((env.BENCH_APP_LOG ?? "error") as LogLevel, (line) => console.error(line));
const settings = parseSettings({
  PORT: "0",
  HOST: "127.0.0.1",
  DATABASE_URL: target === "pglite" ? undefined : target,
  DATA_DIR: "memory://",
  DEMO_DATA: env.BENCH_APP_DEMO ?? "off",
  LOG_LEVEL: "error",
  ADMIN_EMAIL: "bench-admin@bench.example",
  ADMIN_PASSWORD: "bench-admin-password",
  PAYMENT_SANDBOX_SECRET: env.BENCH_SANDBOX_SECRET ?? "bench-sandbox-secret",
  // The bench pays through the sandbox provider, which is off by default without demo data.
  PAYMENT_SANDBOX: "on",
  // Bench data is made up: the built-in development key is allowed.
  DEV_ENCRYPTION_KEY: "allow",
});
const inner = await openDb({
  databaseUrl: settings.DATABASE_URL,
  dataDir: "memory://",
  maxConnections: Number(env.BENCH_APP_POOL ?? "10"),
});
/**
 * Runs a request that changes something inside its own tally; its statements are added to its route
 * when it is answered. Reads (pages) are not tallied: nothing reads their counts, and the tally's
 * async context would slow the page section measured through this same server.
 */
function counted(handler: Deno.ServeHandler<Deno.NetAddr>): Deno.ServeHandler<Deno.NetAddr> {
  return (req, info) => {
    if (req.method === "GET" || req.method === "HEAD") return handler(req, info);
    const tally = zero();
    const label = routeLabel(req.method, new URL(req.url).pathname);
    return als.run(tally, async () => {
      try {
        return await handler(req, info);
      } finally {
        const r = routes.get(label) ?? { ...zero(), requests: 0 };
        r.requests++;
        r.statements += tally.statements;
        r.roundTrips += tally.roundTrips;
        r.transactions += tally.transactions;
        routes.set(label, r);
      }
    });
  };
}

const server = await startServer(settings, { db: counting(inner), log, wrapHandler: counted });

// The control port is a plain node:http server.
const control = createServer(async (req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "POST" && path === "/reset") {
    total = zero();
    routes = new Map();
    res.writeHead(204).end();
  } else if (path === "/counters") {
    const body: Counters = { total, routes: Object.fromEntries(routes), retries: await readRetries() };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
const controlPort = (control.address() as AddressInfo).port;

let stopping: Promise<void> | undefined;
const stop = (code: number) =>
  stopping ??= (async () => {
    const hard = setTimeout(() => Deno.exit(code), 10_000);
    await server.close().catch(() => {});
    await inner.close().catch(() => {});
    await new Promise((resolve) => control.close(resolve));
    clearTimeout(hard);
    Deno.exit(code);
  })();
Deno.addSignalListener("SIGTERM", () => stop(0));
Deno.addSignalListener("SIGINT", () => stop(0));
setTimeout(() => {
  console.error(`app_server: BENCH_APP_MAX_S=${maxS} reached, stopping`);
  stop(3);
}, maxS * 1000);
// The bench holds our stdin open; when it goes away (even killed), so do we.
(async () => {
  for await (const _ of Deno.stdin.readable) { /* ignore input */ }
  stop(0);
})();

console.log(JSON.stringify({ ready: true, url: server.url, control: `http://127.0.0.1:${controlPort}` }));
