/**
 * Shared plumbing of the hot-path benches: clean-up on the way out, subprocesses that print JSON lines,
 * scratch databases, the app instance (bench/app_server.ts), HTTP requests with time limits and status
 * counts, the shop data a bench needs (referral chains, buyers with sessions, products), and the goal
 * table every section adds to.
 */
import postgres from "postgres";
import { type Db, openDb } from "../db/db.ts";
import { randomToken, sha256Hex } from "../lib/tokens.ts";
import { appConfig } from "../fresh.config.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import type { Counters } from "./app_server.ts";

// ---------------------------------------------------------------------------------------------
// Output and goals

/** Prints a line. */
export const log = (line = ""): void => console.log(line);
/** Prints a section heading. */
export const heading = (title: string): void => log(`\n== ${title} ${"=".repeat(Math.max(0, 90 - title.length))}`);

/** One row of the final summary. */
export interface Goal {
  section: string;
  what: string;
  measured: string;
  goal: string;
  pass: boolean | null; // null: not measurable in this run
}

/** Every goal checked in this run, in order. */
export const goals: Goal[] = [];

/** Records a goal and prints its verdict. */
export function check(section: string, what: string, measured: string, goal: string, pass: boolean | null): void {
  goals.push({ section, what, measured, goal, pass });
  log(`  ${verdict(pass)}  ${what}: ${measured} (goal ${goal})`);
}

/** PASS, FAIL or n/a. */
export function verdict(pass: boolean | null): string {
  return pass === null ? "n/a " : pass ? "PASS" : "FAIL";
}

// ---------------------------------------------------------------------------------------------
// Stopping and clean-up

/** Aborted when the run must stop (time limit, Ctrl-C): loops end and requests are cancelled. */
export const stopping = new AbortController();

const cleanups: { name: string; fn: () => Promise<void> }[] = [];

/** Registers a clean-up step (run last-in first-out by `runCleanups`); returns a function that runs it now. */
export function onCleanup(name: string, fn: () => Promise<void>): () => Promise<void> {
  const entry = { name, fn };
  cleanups.push(entry);
  let ran: Promise<void> | undefined;
  entry.fn = () =>
    ran ??= fn().catch((err) => {
      console.error(`clean-up "${name}" failed: ${(err as Error).message}`);
    });
  return async () => {
    await entry.fn();
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered clean-up step (each at most once). */
export async function runCleanups(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!.fn();
}

// ---------------------------------------------------------------------------------------------
// Subprocesses

/** A child process that prints JSON lines on stdout. */
export interface Child {
  /** The next JSON line from stdout (rejects after `timeoutMs` or when the child exits). */
  next<T = Record<string, unknown>>(timeoutMs: number): Promise<T>;
  /** Writes one line to the child's stdin. */
  send(line: string): Promise<void>;
  /** Stops the child (SIGTERM, then SIGKILL after 5 s) and waits for it. */
  stop(): Promise<void>;
  /** The last lines the child wrote to stderr. */
  stderrTail(): string[];
  /** Counts of stderr lines matching each pattern. */
  stderrCounts: Map<string, number>;
  status: Promise<Deno.CommandStatus>;
}

/** Starts `deno run -A <script>` with `env`; stdout lines are JSON messages, stderr is kept (tail + counts). */
export function spawnDeno(
  name: string,
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  countPatterns: Record<string, RegExp> = {},
): Child {
  const proc = new Deno.Command(Deno.execPath(), {
    // BENCH_INSPECT=host:port opens the app instance to a debugger (CPU profiles while the bench runs).
    args: [
      "run",
      "-A",
      "--quiet",
      ...(script === "./app_server.ts" && Deno.env.get("BENCH_INSPECT")
        ? [`--inspect=${Deno.env.get("BENCH_INSPECT")}`]
        : []),
      new URL(script, import.meta.url).pathname,
      ...args,
    ],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = proc.stdin.getWriter();
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const stderrCounts = new Map<string, number>();
  const tail: string[] = [];
  (async () => {
    const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    while (true) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      buf += value;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line.startsWith("{")) lines.push(line);
        else if (line) console.log(`  [${name}] ${line}`);
      }
      wake();
    }
    ended = true;
    wake();
  })();
  (async () => {
    const reader = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    while (true) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      buf += value;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        for (const [key, re] of Object.entries(countPatterns)) {
          if (re.test(line)) stderrCounts.set(key, (stderrCounts.get(key) ?? 0) + 1);
        }
        tail.push(line.slice(0, 400));
        if (tail.length > 20) tail.shift();
      }
    }
  })();
  const status = proc.status;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      await writer.close().catch(() => {});
      try {
        proc.kill("SIGTERM");
      } catch { /* already gone */ }
      const kill = setTimeout(() => {
        try {
          proc.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 5_000);
      await status.catch(() => {});
      clearTimeout(kill);
    })();
  const unregister = onCleanup(`process ${name}`, stop);
  status.then(() => unregister());
  return {
    async next<T>(timeoutMs: number): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      while (!lines.length) {
        if (ended) throw new Error(`${name} exited (${tail.slice(-5).join(" | ")})`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${name}: no answer within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => (clearTimeout(t), resolve()));
        });
      }
      return JSON.parse(lines.shift()!) as T;
    },
    async send(line: string) {
      await writer.write(new TextEncoder().encode(line + "\n"));
    },
    stop,
    stderrTail: () => [...tail],
    stderrCounts,
    status,
  };
}

/** Runs a command to completion with a time limit; returns its output. */
export async function runCommand(
  cmd: string,
  args: string[],
  timeoutMs: number,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// ---------------------------------------------------------------------------------------------
// Scratch databases

/** The URL of database `name` on the server of `base`. */
export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a scratch database (dropped by the clean-up, connections and all); returns its URL. */
export async function scratchDatabase(
  baseUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const drop = onCleanup(`database ${name}`, async () => {
    const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
  return { url: databaseUrl(baseUrl, name), drop };
}

// ---------------------------------------------------------------------------------------------
// The app instance

/** The sandbox secret the bench's app instances use. */
export const SANDBOX_SECRET = "bench-sandbox-secret";

/** A running app instance in a subprocess. */
export interface AppInstance {
  url: string;
  control: string;
  child: Child;
  counters(): Promise<Counters>;
  reset(): Promise<void>;
  /** 500s logged by the app, and how many of them were deadlocks / serialization failures. */
  logCounts(): Record<string, number>;
  stop(): Promise<void>;
}

/** Starts bench/app_server.ts on `db` (a postgres URL or "pglite"). */
export async function startApp(
  name: string,
  db: string,
  options: { demo?: boolean; pool?: number; maxSeconds?: number; startTimeoutMs?: number } = {},
): Promise<AppInstance> {
  const child = spawnDeno(
    name,
    "./app_server.ts",
    {
      BENCH_APP_DB: db,
      BENCH_APP_DEMO: options.demo ? "on" : "off",
      BENCH_APP_POOL: String(options.pool ?? 10),
      BENCH_APP_MAX_S: String(options.maxSeconds ?? 900),
      BENCH_SANDBOX_SECRET: SANDBOX_SECRET,
      BENCH_APP_LOG: "error",
    },
    [],
    {
      error: /"level":"error"/,
      deadlock: /deadlock detected|40P01/,
      serialization: /could not serialize|40001/,
    },
  );
  const ready = await child.next<{ url: string; control: string }>(options.startTimeoutMs ?? 180_000).catch(
    async (err) => {
      await child.stop();
      throw err;
    },
  );
  const get = async <T>(path: string, method = "GET"): Promise<T> => {
    const res = await fetch(`${ready.control}${path}`, { method, signal: AbortSignal.timeout(10_000) });
    if (res.status === 204) return undefined as T;
    return await res.json() as T;
  };
  return {
    url: ready.url,
    control: ready.control,
    child,
    counters: () => get<Counters>("/counters"),
    reset: () => get<void>("/reset", "POST"),
    logCounts: () => Object.fromEntries(child.stderrCounts),
    stop: () => child.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP with time limits and status counts

/** Counts of outcomes by "step status" (status is the HTTP status, `timeout` or `network`). */
export class StatusCounts {
  readonly counts = new Map<string, number>();
  add(step: string, status: number | string): void {
    const key = `${step} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  /** Outcomes that are neither 2xx nor in `expected` (keys like "create 409"). */
  errors(expected: string[] = []): number {
    let n = 0;
    for (const [key, count] of this.counts) {
      const status = key.split(" ")[1];
      if (!/^2\d\d$/.test(status) && !expected.includes(key)) n += count;
    }
    return n;
  }
  /** Outcomes with a 5xx status. */
  serverErrors(): number {
    let n = 0;
    for (const [key, count] of this.counts) if (/ 5\d\d$/.test(key)) n += count;
    return n;
  }
  /** "create 201: 812, create 500: 3, …" in step order. */
  format(): string {
    return [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(", ") ||
      "none";
  }
  merge(other: Record<string, number>): void {
    for (const [k, v] of Object.entries(other)) this.counts.set(k, (this.counts.get(k) ?? 0) + v);
  }
}

/** The answer of one request: status (0 on timeout or network error), parsed JSON body if any. */
export interface Answer<T> {
  status: number;
  body: T | null;
  error?: "timeout" | "network";
}

/** Sends one JSON request with a time limit; never throws. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { cookie?: string; json?: unknown; body?: string; headers?: Record<string, string>; timeoutMs: number },
): Promise<Answer<T>> {
  const headers: Record<string, string> = { origin: base, ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), stopping.signal]),
    });
    const text = await res.text();
    let parsed: T | null = null;
    try {
      parsed = text ? JSON.parse(text) as T : null;
    } catch { /* not JSON */ }
    return { status: res.status, body: parsed };
  } catch (err) {
    const name = (err as Error).name;
    return { status: 0, body: null, error: name === "TimeoutError" || name === "AbortError" ? "timeout" : "network" };
  }
}

/** The status label of an answer for the counts. */
export function statusLabel(a: Answer<unknown>): string {
  return a.error ?? String(a.status);
}

/** A delivery address for bench orders. */
export const ADDRESS = { name: "压测", phone: "13800001234", line1: "人民路 1 号", city: "上海" };

/** The outcome of one buyer's checkout. */
export type CheckoutOutcome = "paid" | "out_of_stock" | "failed";

/**
 * One checkout over HTTP, as a buyer and the provider do it: create the order (Idempotency-Key), start
 * the sandbox payment, then the provider's signed webhook. Counts every step's status in `counts`.
 */
export async function checkout(
  base: string,
  cookie: string,
  productId: string,
  provider: SandboxProvider,
  counts: StatusCounts,
  timeoutMs: number,
): Promise<CheckoutOutcome> {
  const created = await call<{ order?: { id: string }; error?: { code: string } }>(base, "POST", "/api/orders", {
    cookie,
    json: { items: [{ productId, quantity: 1 }], address: ADDRESS },
    headers: { "idempotency-key": crypto.randomUUID() },
    timeoutMs,
  });
  const code = created.body?.error?.code;
  counts.add("create", code === "out_of_stock" ? "409 out_of_stock" : statusLabel(created));
  if (created.status === 409 && code === "out_of_stock") return "out_of_stock";
  if (created.status !== 201 || !created.body?.order) return "failed";
  const pay = await call<{ payment?: { id: string; amount: string } }>(
    base,
    "POST",
    `/api/orders/${created.body.order.id}/pay`,
    { cookie, json: { method: "sandbox" }, timeoutMs },
  );
  counts.add("pay", statusLabel(pay));
  if (pay.status !== 200 || !pay.body?.payment) return "failed";
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  const hook = await call<{ outcome?: string }>(base, "POST", "/api/payments/webhook/sandbox", {
    body,
    headers: { "content-type": "application/json", "x-sandbox-signature": await provider.sign(body) },
    timeoutMs,
  });
  counts.add("webhook", statusLabel(hook));
  if (hook.status === 200 && hook.body?.outcome !== "paid") counts.add("webhook-outcome", hook.body?.outcome ?? "?");
  return hook.status === 200 && hook.body?.outcome === "paid" ? "paid" : "failed";
}

// ---------------------------------------------------------------------------------------------
// Shop data

/** A member the bench signed in: id, session cookie, the rooms their sockets are allowed in. */
export interface Member {
  id: string;
  cookie: string;
  role: "shopper" | "distributor" | "manager";
}

/** What `seedShop` created. */
export interface ShopData {
  /** Distributors of the chains (tier 3, 2, 1 of their buyers: root first). */
  distributors: Member[];
  buyers: Member[];
  managers: Member[];
  hotProductId: string;
  productIds: string[];
}

/** Opens a Db on an app database for setup and checks (a small pool of its own); `close` it before dropping. */
export async function openSetupDb(url: string): Promise<Db & { closeNow(): Promise<void> }> {
  const db = await openDb({ databaseUrl: url, maxConnections: 2 });
  const closeNow = onCleanup("setup connection", () => db.close());
  return { ...db, kind: db.kind, closeNow };
}

/**
 * Creates the data a hot-path bench needs, set-based and directly in the app's database (no password
 * hashing on the request path): `chains` referral chains root ← tier 2 ← tier 1, `buyers` members spread
 * round-robin under the chains' last members (so each buyer's order pays three tiers), `managers` staff,
 * a session for everyone, one hot product with `hotStock` units and `spread` products with `stock` each.
 */
export async function seedShop(
  db: Db,
  opts: { chains: number; buyers: number; managers: number; spread: number; stock: number; hotStock: number },
): Promise<ShopData> {
  const tag = crypto.randomUUID().slice(0, 8);
  const insertUsers = async (
    rows: { key: string; role: string; upline: string | null }[],
  ): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (let i = 0; i < rows.length; i += 5_000) {
      const part = rows.slice(i, i + 5_000);
      const inserted = await db.query<{ id: string; email: string }>(
        `INSERT INTO users (email, name, password_hash, role, referral_code, upline_id, staff_role)
         SELECT r.key || '@bench.example', 'Bench ' || r.key, '$bench$no-login', r.role, upper(r.key),
                r.upline, CASE WHEN r.role = 'manager' THEN 'admin' END
           FROM jsonb_to_recordset($1::text::jsonb) AS r(key text, role text, upline bigint)
         RETURNING id, email`,
        [JSON.stringify(part)],
      );
      for (const r of inserted) out.set(r.email.split("@")[0], String(r.id));
    }
    return out;
  };
  const k = (kind: string, i: number) => `b${tag}${kind}${i}`;
  const roots = await insertUsers(
    Array.from({ length: opts.chains }, (_, c) => ({ key: k("r", c), role: "distributor", upline: null })),
  );
  const mids = await insertUsers(
    Array.from(
      { length: opts.chains },
      (_, c) => ({ key: k("m", c), role: "distributor", upline: roots.get(k("r", c))! }),
    ),
  );
  const leaves = await insertUsers(
    Array.from(
      { length: opts.chains },
      (_, c) => ({ key: k("l", c), role: "distributor", upline: mids.get(k("m", c))! }),
    ),
  );
  const buyers = await insertUsers(
    Array.from(
      { length: opts.buyers },
      (_, b) => ({ key: k("u", b), role: "shopper", upline: leaves.get(k("l", b % opts.chains))! }),
    ),
  );
  const managers = await insertUsers(
    Array.from({ length: opts.managers }, (_, m) => ({ key: k("s", m), role: "manager", upline: null })),
  );

  // The closure table: each member's uplines at depth 1..3.
  const paths: [string, string, number][] = [];
  for (let c = 0; c < opts.chains; c++) {
    const r = roots.get(k("r", c))!, m = mids.get(k("m", c))!, l = leaves.get(k("l", c))!;
    paths.push([r, m, 1], [m, l, 1], [r, l, 2]);
  }
  for (let b = 0; b < opts.buyers; b++) {
    const c = b % opts.chains;
    const u = buyers.get(k("u", b))!;
    paths.push([leaves.get(k("l", c))!, u, 1], [mids.get(k("m", c))!, u, 2], [roots.get(k("r", c))!, u, 3]);
  }
  for (let i = 0; i < paths.length; i += 10_000) {
    const part = paths.slice(i, i + 10_000);
    await db.query(
      `INSERT INTO referral_paths (ancestor_id, descendant_id, depth)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::smallint[])`,
      [part.map((p) => p[0]), part.map((p) => p[1]), part.map((p) => p[2])],
    );
  }
  await db.query(
    `INSERT INTO team_counts (ancestor_id, depth, members)
     SELECT ancestor_id, depth, count(*) FROM referral_paths GROUP BY 1, 2
     ON CONFLICT DO NOTHING`,
  );

  // Sessions: the cookie holds the token, the table its SHA-256.
  const sessionFor = async (ids: string[], role: Member["role"]): Promise<Member[]> => {
    const tokens = ids.map(() => randomToken());
    const hashes = await Promise.all(tokens.map(sha256Hex));
    for (let i = 0; i < ids.length; i += 5_000) {
      await db.query(
        `INSERT INTO sessions (id, user_id, expires_at)
         SELECT * FROM unnest($1::text[], $2::bigint[], array_fill(now() + interval '1 day', ARRAY[$3::int]))`,
        [hashes.slice(i, i + 5_000), ids.slice(i, i + 5_000), Math.min(5_000, ids.length - i)],
      );
    }
    return ids.map((id, i) => ({ id, role, cookie: `${appConfig.session.cookieName}=${tokens[i]}` }));
  };
  const chainIds = [...roots.values(), ...mids.values(), ...leaves.values()];

  // Products: one hot product and `spread` others, each with a 'create' stock movement like the admin API.
  const [category] = await db.query<{ id: string }>(
    `INSERT INTO categories (slug, name_zh, name_en, sort) VALUES ($1, '压测', 'Bench', 999) RETURNING id`,
    [`bench-${tag}`],
  );
  const products = await db.query<{ id: string }>(
    `INSERT INTO products (category_id, name, name_en, price, cost_price, stock, low_stock_threshold)
     SELECT $1, '压测商品 ' || i, 'Bench product ' || i, 99.00 + i, 40.00, CASE WHEN i = 0 THEN $3::int ELSE $2::int END, 5
       FROM generate_series(0, $4::int) i ORDER BY i
     RETURNING id`,
    [category.id, opts.stock, opts.hotStock, opts.spread],
  );
  await db.query(
    `INSERT INTO stock_movements (product_id, on_hand_delta, reserved_delta, reason)
     SELECT id, stock, 0, 'create' FROM products WHERE id = ANY($1::bigint[])`,
    [products.map((p) => p.id)],
  );
  const ids = products.map((p) => String(p.id)).sort((a, b) => Number(a) - Number(b));
  return {
    distributors: await sessionFor(chainIds, "distributor"),
    buyers: await sessionFor([...buyers.values()], "shopper"),
    managers: await sessionFor([...managers.values()], "manager"),
    hotProductId: ids[0],
    productIds: ids.slice(1),
  };
}

// ---------------------------------------------------------------------------------------------
// Invariants

/** One invariant: its name and how many rows break it. */
export interface Invariant {
  name: string;
  violations: number;
}

/**
 * The ledger and stock invariants: every ledger transaction sums to zero, balances equal their entries,
 * stock never negative (now and along the movement history), reserved equals units in unpaid orders,
 * and exactly one commission line per paid order item and tier (three tiers: every bench buyer has three
 * uplines).
 */
export async function invariants(db: Db): Promise<Invariant[]> {
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);
  return [
    {
      name: "every ledger transaction sums to zero",
      violations: await count(
        `SELECT count(*) AS n FROM (SELECT transaction_id FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0) x`,
      ),
    },
    {
      // Platform accounts keep no running balance (LOCK_ORDER.md): theirs is the sum of their entries.
      name: "member account balances equal the sum of their entries",
      violations: await count(
        `SELECT count(*) AS n FROM ledger_accounts a
           LEFT JOIN (SELECT account_id, sum(amount) AS s FROM ledger_entries GROUP BY 1) e ON e.account_id = a.id
          WHERE a.owner_id IS NOT NULL AND a.balance <> coalesce(e.s, 0)`,
      ),
    },
    {
      name: "stock never negative (rows and movement history)",
      violations: await count(
        `SELECT (SELECT count(*) FROM products WHERE stock < 0 OR reserved < 0 OR reserved > stock) +
                (SELECT count(*) FROM (SELECT sum(on_hand_delta) OVER (PARTITION BY product_id ORDER BY id) AS s
                                         FROM stock_movements) m WHERE s < 0) +
                (SELECT count(*) FROM products p
                  WHERE p.stock <> coalesce((SELECT sum(on_hand_delta) FROM stock_movements m WHERE m.product_id = p.id), 0)
                    AND EXISTS (SELECT 1 FROM stock_movements m WHERE m.product_id = p.id)) AS n`,
      ),
    },
    {
      name: "reserved equals units in unpaid orders",
      violations: await count(
        `SELECT count(*) AS n FROM products p
          WHERE p.reserved <> coalesce((SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                                         WHERE i.product_id = p.id AND o.status = 'pending_payment'), 0)`,
      ),
    },
    {
      name: "one commission line per paid order item and tier",
      violations: await count(
        `SELECT (SELECT count(*) FROM (SELECT 1 FROM commission_lines GROUP BY order_item_id, tier HAVING count(*) > 1) d) +
                (SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id
                   CROSS JOIN generate_series(1, 3) t
                  WHERE o.paid_at IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM commission_lines l WHERE l.order_item_id = i.id AND l.tier = t)) AS n`,
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Baselines

/** pgbench TPC-B on a scratch database: initialise at `scale`, run `clients` clients for `seconds`. */
export async function pgbenchTps(
  baseUrl: string,
  opts: { scale: number; clients: number; seconds: number },
): Promise<{ tps: number; detail: string }> {
  const db = await scratchDatabase(baseUrl, "bench_pgbench");
  try {
    const url = new URL(db.url);
    const conn = [
      "-h",
      url.hostname,
      "-p",
      url.port || "5432",
      "-U",
      decodeURIComponent(url.username || "postgres"),
      url.pathname.slice(1),
    ];
    const env: Record<string, string> = url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {};
    const t0 = performance.now();
    const init = await runCommand("pgbench", ["-i", "-q", "-s", String(opts.scale), ...conn], 300_000, env);
    if (init.code !== 0) throw new Error(`pgbench -i failed: ${init.stderr.slice(-500)}`);
    const initS = (performance.now() - t0) / 1000;
    const run = await runCommand(
      "pgbench",
      ["-c", String(opts.clients), "-j", "2", "-T", String(opts.seconds), "-n", ...conn],
      (opts.seconds + 120) * 1000,
      env,
    );
    if (run.code !== 0) throw new Error(`pgbench failed: ${run.stderr.slice(-500)}`);
    const m = run.stdout.match(/tps = ([\d.]+) \(without initial connection time\)/) ??
      run.stdout.match(/tps = ([\d.]+)/);
    if (!m) throw new Error(`cannot read pgbench output: ${run.stdout.slice(-300)}`);
    const failed = run.stdout.match(/number of failed transactions: (\d+)/)?.[1] ?? "0";
    return {
      tps: Number(m[1]),
      detail: `scale ${opts.scale}, ${opts.clients} clients, ${opts.seconds} s (init ${
        initS.toFixed(1)
      } s), failed ${failed}`,
    };
  } finally {
    await db.drop();
  }
}

/** The result of one wrk run. */
export interface WrkResult {
  rps: number;
  requests: number;
  non2xx: number;
  socketErrors: string;
  latencyAvg: string;
}

/** Runs wrk against `url` (bounded by `seconds`) and parses Requests/sec and errors. */
export async function wrk(
  url: string,
  opts: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<WrkResult> {
  const headers = Object.entries(opts.headers ?? {}).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const out = await runCommand(
    "/usr/bin/wrk",
    ["-t1", `-c${opts.connections}`, `-d${opts.seconds}s`, "--timeout", "10s", ...headers, url],
    (opts.seconds + 30) * 1000,
  );
  const rps = Number(out.stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN);
  const requests = Number(out.stdout.match(/(\d+) requests in/)?.[1] ?? NaN);
  const non2xx = Number(out.stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = out.stdout.match(/Socket errors: (.*)/)?.[1] ?? "none";
  const latencyAvg = out.stdout.match(/Latency\s+(\S+)/)?.[1] ?? "?";
  if (out.code !== 0 || !Number.isFinite(rps)) throw new Error(`wrk failed: ${out.stderr || out.stdout}`);
  return { rps, requests, non2xx, socketErrors, latencyAvg };
}
