/** Bench settings, read from the environment and validated with zod. */
import { z } from "zod";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The sections of `deno task bench`, in the order they run. */
export const SECTIONS = ["tree", "simulator", "checkout", "flash", "pages", "fanout"] as const;

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The environment the bench reads (every value has a default). */
export const benchEnvSchema = z.object({
  DATABASE_URL: z.url().refine((value) => {
    const url = new URL(value);
    return /^postgres(ql)?:$/.test(url.protocol) && LOOPBACK.has(url.hostname);
  }, "the bench only talks to a PostgreSQL on 127.0.0.1 (postgres://…@127.0.0.1:5432/db)")
    .default("postgres://postgres@127.0.0.1:5432/test"),
  /** Members in the generated referral tree. */
  BENCH_MEMBERS: int(1_000, 5_000_000, 1_000_000),
  /** Paid orders in the generated month (the simulator replays them; team_daily is built from them). */
  BENCH_ORDERS: int(100, 2_000_000, 100_000),
  /** Products (spread over BENCH_CATEGORIES categories). */
  BENCH_PRODUCTS: int(10, 100_000, 300),
  BENCH_CATEGORIES: int(1, 1_000, 12),
  /** Levels in the tree, roots included: leaves of the last level have GENERATIONS - 1 uplines. */
  BENCH_GENERATIONS: int(6, 40, 14),
  /** Timed repetitions (median) and untimed warm-up rounds for the read paths. */
  BENCH_REPS: int(3, 500, 21),
  BENCH_WARMUP: int(0, 100, 3),
  /** Leaves sampled for the upline lookups; each repetition looks up all of them. */
  BENCH_LEAVES: int(1, 10_000, 100),
  /** Timed repetitions and warm-up rounds for the simulator. */
  BENCH_SIM_REPS: int(1, 50, 3),
  BENCH_SIM_WARMUP: int(0, 10, 1),
  /** The speed goal: production time under this share of the baseline's, in percent. */
  BENCH_GOAL_PCT: z.coerce.number().positive().max(100).default(5),
  /** Hard stop for the whole run (seconds); the schema is dropped on the way out. */
  BENCH_TIMEOUT_S: int(30, 7_200, 1_200),
  /** Set to 1 to print the PostgreSQL plans of the measured queries. */
  BENCH_EXPLAIN: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),

  /** Sections to run, comma-separated (default: all): tree, simulator, checkout, flash, pages, fanout. */
  BENCH_ONLY: z.string().default(SECTIONS.join(",")).transform((v, ctx) => {
    const picked = v.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = picked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
    if (unknown.length) {
      ctx.addIssue({ code: "custom", message: `unknown section(s) ${unknown.join(", ")}; use ${SECTIONS.join(", ")}` });
    }
    return new Set(picked as Section[]);
  }),
  /** Per-request time limit of the hot-path benches (ms). */
  BENCH_REQUEST_TIMEOUT_MS: int(1_000, 120_000, 15_000),
  /** (a) checkout: concurrent buyers (comma-separated), seconds per scenario, cap of checkouts per buyer. */
  BENCH_CHECKOUT_CONCURRENCY: z.string().regex(/^\d+(,\d+)*$/).default("16,64")
    .transform((v) => v.split(",").map(Number).filter((n) => n >= 1 && n <= 1_000)),
  BENCH_CHECKOUT_S: int(1, 300, 8),
  BENCH_CHECKOUT_MAX_PER_BUYER: int(1, 100_000, 2_000),
  /** Products of the spread scenario and referral chains the buyers hang under. */
  BENCH_CHECKOUT_PRODUCTS: int(1, 10_000, 100),
  BENCH_CHAINS: int(1, 10_000, 16),
  /** pgbench baseline: scale, clients, seconds. */
  BENCH_PGBENCH_SCALE: int(1, 1_000, 10),
  BENCH_PGBENCH_CLIENTS: int(1, 64, 8),
  BENCH_PGBENCH_S: int(2, 300, 10),
  /** (b) flash sale: buyers, units, seconds the sale lasts (buyers start within it). */
  BENCH_FLASH_BUYERS: int(10, 20_000, 2_000),
  BENCH_FLASH_UNITS: int(1, 10_000, 100),
  BENCH_FLASH_S: int(1, 120, 10),
  /** Buyers in flight at once in the flash client (the rest queue behind them within the sale). */
  BENCH_FLASH_CONCURRENCY: int(1, 5_000, 256),
  /** (c) pages: wrk connections and seconds per URL. */
  BENCH_WRK_CONNECTIONS: int(1, 1_000, 50),
  BENCH_WRK_S: int(1, 60, 5),
  /** (d) fan-out: socket.io clients (distributors + managers), managers among them, seconds of paying. */
  BENCH_FANOUT_CLIENTS: int(4, 20_000, 2_000),
  BENCH_FANOUT_MANAGERS: int(1, 1_000, 20),
  BENCH_FANOUT_S: int(1, 120, 10),
  BENCH_FANOUT_CONCURRENCY: int(1, 1_000, 32),
});

/** The sections of `deno task bench`. */
export type Section = (typeof SECTIONS)[number];

/** Validated bench settings. */
export type BenchConfig = z.infer<typeof benchEnvSchema>;

/** Reads the settings from `env` (defaults to the process environment); exits with a message when invalid. */
export function readConfig(env: Record<string, string> = Deno.env.toObject()): BenchConfig {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => (k === "DATABASE_URL" || k.startsWith("BENCH_")) && v !== ""),
  );
  const parsed = benchEnvSchema.safeParse(relevant);
  if (!parsed.success) {
    console.error("Invalid bench settings:");
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".")}: ${issue.message}`);
    Deno.exit(2);
  }
  return parsed.data;
}

/** The database URL with startup parameters for the bench's connections (name, per-statement time limit). */
export function connectionUrl(base: string, applicationName: string, statementTimeoutMs: number): string {
  const url = new URL(base);
  url.searchParams.set("application_name", applicationName);
  url.searchParams.set("statement_timeout", String(statementTimeoutMs));
  return url.toString();
}
