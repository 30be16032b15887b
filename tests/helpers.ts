/**
 * Test harness: a fresh database per test file (PGlite in memory, or a fresh schema on the
 * PostgreSQL in `DATABASE_URL`), the app in-process, and a cookie-keeping client.
 */
import { type Db, openDb } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { createApp, loadAppRoutes } from "../app.tsx";
import type { AppDeps } from "../lib/app_env.ts";
import { parseSettings, type Settings } from "../config.ts";
import { createLogger, type Logger } from "../lib/log.ts";
import { buildIslands } from "../lib/islands_build.ts";
import { loadStaticAssets } from "../lib/static_files.ts";
import { type RunningServer, startServer } from "../main.ts";
import { createShop, type Shop } from "../services/shop.ts";
import { CryptoBox } from "../lib/crypto_box.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { VisitCounter } from "../services/visits.ts";

/** The PostgreSQL URL under test, when set. */
export const DATABASE_URL = Deno.env.get("DATABASE_URL") || undefined;

/** A database for one test file, and a way to drop it. */
export interface TestDb {
  db: Db;
  close(): Promise<void>;
}

/** Opens a fresh, migrated database: a new schema on PostgreSQL, or in-memory PGlite. */
export async function openTestDb(): Promise<TestDb> {
  if (DATABASE_URL) {
    const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const db = await openDb({ databaseUrl: DATABASE_URL, schema, maxConnections: 20 });
    await migrate(db);
    return {
      db,
      async close() {
        await db.exec(`DROP SCHEMA "${schema}" CASCADE`).catch(() => {});
        await db.close();
      },
    };
  }
  const db = await openDb({ dataDir: "memory://" });
  await migrate(db);
  return { db, close: () => db.close() };
}

/** Settings for tests: silent logs, no demo data, port 0, the sandbox payment provider on. */
export function testSettings(overrides: Record<string, string> = {}): Settings {
  return parseSettings({
    PORT: "0",
    DEMO_DATA: "off",
    LOG_LEVEL: "silent",
    DATA_DIR: "memory://",
    ADMIN_EMAIL: "admin@test.example",
    ADMIN_PASSWORD: "admin-password-1",
    PAYMENT_SANDBOX: "on",
    DEV_ENCRYPTION_KEY: "allow",
    ...overrides,
  });
}

/** An in-process app on a fresh database. */
export interface TestApp {
  db: Db;
  shop: Shop;
  settings: Settings;
  /** The app's visit and link-click counter: call `visits.flush()` before reading what it counted. */
  visits: VisitCounter;
  fetch(req: Request): Promise<Response>;
  client(): TestClient;
  close(): Promise<void>;
}

/**
 * Builds the app in-process (no port) on a fresh database, with a manager account. `withDeps` may add
 * dependencies built on that database (e.g. a page cache wired to a dispatcher).
 */
export async function createTestApp(
  overrides: Record<string, string> = {},
  withDeps: (db: Db) => Partial<AppDeps> = () => ({}),
): Promise<TestApp> {
  const testDb = await openTestDb();
  const settings = testSettings(overrides);
  const log: Logger = createLogger(settings.LOG_LEVEL);
  const [islands, assets] = await Promise.all([buildIslands(), loadStaticAssets()]);
  const { ensureManager } = await import("../services/accounts.ts");
  await ensureManager(testDb.db, settings.ADMIN_EMAIL, settings.ADMIN_PASSWORD);
  const { ensureCategories } = await import("../services/demo_data.ts");
  await ensureCategories(testDb.db);
  const box = CryptoBox.fromSettings(settings);
  const shop = createShop(testDb.db, settings.paymentSandbox ? settings.paymentSandboxSecret : null, box);
  const visits = new VisitCounter(testDb.db, log);
  const app = createApp(
    { db: testDb.db, settings, log, islands, assets, shop, box, visits, ...withDeps(testDb.db) },
    await loadAppRoutes(),
  );
  const fetch = async (req: Request) => await app.fetch(req);
  return {
    db: testDb.db,
    shop,
    settings,
    visits,
    fetch,
    client: () => new TestClient(fetch, "http://localhost"),
    close: testDb.close,
  };
}

/** A started server on a random port over a fresh database (for sockets and browsers). */
export async function startTestServer(
  overrides: Record<string, string> = {},
): Promise<RunningServer & { testDb: TestDb; client(): TestClient }> {
  const testDb = await openTestDb();
  const server = await startServer(testSettings(overrides), { db: testDb.db, log: createLogger("silent") });
  return {
    ...server,
    testDb,
    client: () => new TestClient((req) => fetch(req), server.url),
    async close() {
      await server.close();
      await testDb.close();
    },
  };
}

/** A client that keeps cookies and sends same-origin requests, like a browser tab. */
export class TestClient {
  cookies = new Map<string, string>();
  constructor(private send: (req: Request) => Promise<Response>, readonly base: string) {}

  /** The cookie header this client would send. */
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Sends a request; `json` is serialised as the body. Returns the response (body unread). */
  async request(
    method: string,
    path: string,
    options: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers = new Headers(options.headers);
    if (this.cookies.size && !headers.has("cookie")) headers.set("cookie", this.cookieHeader);
    // API clients read English messages unless a test asks for another language (pages stay zh-CN by default).
    if (path.startsWith("/api/") && !headers.has("accept-language")) headers.set("accept-language", "en");
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    if (method !== "GET" && !headers.has("origin")) headers.set("origin", this.base);
    const res = await this.send(new Request(new URL(path, this.base), { method, headers, body, redirect: "manual" }));
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Sends a request and parses the JSON answer. */
  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.request(method, path, options);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  /**
   * Posts an HTML form (urlencoded) with the CSRF token a page gave this client, as a browser
   * submitting it would; fetches `tokenFrom` first when the client has no token yet.
   */
  async form(path: string, fields: Record<string, string>, tokenFrom = "/"): Promise<Response> {
    if (!this.cookies.has("csrf")) await (await this.request("GET", tokenFrom)).body?.cancel();
    return await this.request("POST", path, {
      body: new URLSearchParams({ _csrf: this.cookies.get("csrf") ?? "", ...fields }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  /** Registers and stays signed in; returns the user. */
  async register(email: string, name = "Tester", extra: Record<string, unknown> = {}) {
    const res = await this.json<{ user: Record<string, string> }>("POST", "/api/auth/register", {
      json: { email, password: "password-123", name, ...extra },
    });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.user;
  }

  /** Logs in; returns the response. */
  async login(email: string, password: string) {
    return await this.json<{ user: Record<string, string> }>("POST", "/api/auth/login", { json: { email, password } });
  }
}

/** A delivery address for test orders. */
export const TEST_ADDRESS = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海" };

/**
 * `client` orders `quantity` of a product and pays through the sandbox provider's signed webhook,
 * as a real buyer and payment would; returns the order id.
 */
export async function buyAndPay(
  client: TestClient,
  sandboxSecret: string,
  productId: string,
  quantity = 1,
  address: Record<string, string> = TEST_ADDRESS,
): Promise<string> {
  const created = await client.json<{ order: { id: string } }>("POST", "/api/orders", {
    json: { items: [{ productId, quantity }], address },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  if (created.status !== 201) throw new Error(`order failed: ${created.status} ${JSON.stringify(created.body)}`);
  const pay = await client.json<{ payment: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${created.body.order.id}/pay`,
    { json: { method: "sandbox" } },
  );
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  const hook = await client.request("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: {
      "content-type": "application/json",
      "x-sandbox-signature": await new SandboxProvider(sandboxSecret).sign(body),
    },
  });
  await hook.body?.cancel();
  if (hook.status !== 200) throw new Error(`payment webhook failed: ${hook.status}`);
  return created.body.order.id;
}

/**
 * Puts a commission plan in force without the publish guard: for tests that need commission
 * released at once (`holdDays: 0`, as plans from before the hold ≥ return window rule could).
 * Returns the new version.
 */
export async function installPlanForTest(db: Db, changes: Record<string, unknown>): Promise<number> {
  const { currentPlan, ensurePlan } = await import("../services/distribution.ts");
  await ensurePlan(db);
  const before = await currentPlan(db);
  const plan = { ...before, ...changes, version: before.version + 1 };
  await db.query("INSERT INTO commission_plans (version, plan) VALUES ($1, $2::text::jsonb)", [
    plan.version,
    JSON.stringify(plan),
  ]);
  return plan.version;
}
