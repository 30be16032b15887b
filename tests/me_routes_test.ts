/**
 * "Me" routes serve only the caller's own data, whatever the caller's role: staff read members' data
 * through the permission-checked admin routes, never through `/api/me/*`. The routes are enumerated
 * from the app and from its OpenAPI document, so a new one is covered the day it is added.
 */
import assert from "node:assert/strict";
import { createApp, loadAppRoutes } from "../app.tsx";
import { CryptoBox } from "../lib/crypto_box.ts";
import { createLogger } from "../lib/log.ts";
import { buildIslands } from "../lib/islands_build.ts";
import { loadStaticAssets } from "../lib/static_files.ts";
import { buyAndPay, createTestApp, type TestClient } from "./helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const app = await createTestApp();

/** Every method and path under /api/me, from the app's router and from /api/openapi.json. */
async function meRoutes(): Promise<{ method: string; path: string }[]> {
  const [islands, assets] = await Promise.all([buildIslands(), loadStaticAssets()]);
  const hono = createApp({
    db: app.db,
    settings: app.settings,
    log: createLogger("silent"),
    islands,
    assets,
    shop: app.shop,
    box: CryptoBox.fromSettings(app.settings),
  }, await loadAppRoutes());
  const found = new Map<string, { method: string; path: string }>();
  const add = (method: string, path: string) => {
    const normal = path.replace(/\{(\w+)\}/g, ":$1").replace(/:(\w+)\{[^}]*\}/g, ":$1");
    if (normal === "/api/me" || normal.startsWith("/api/me/")) {
      found.set(`${method} ${normal.replace(/:\w+/g, ":param")}`, { method, path: normal });
    }
  };
  for (const r of hono.routes) if (r.method !== "ALL") add(r.method.toUpperCase(), r.path);
  const openapi = await (await app.fetch(new Request("http://localhost/api/openapi.json"))).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  for (const [path, ops] of Object.entries(openapi.paths)) {
    for (const method of Object.keys(ops)) add(method.toUpperCase(), path);
  }
  return [...found.values()];
}

async function signedIn(email: string, name: string, extra: Record<string, unknown> = {}) {
  const c = app.client();
  const user = await c.register(email, name, extra);
  return { c, user };
}

const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

// The victim: a distributor with a downline, a commission, a locked statement and a notification.
const victim = await signedIn("victim-owner@example.com", "Vivian Victim");
assert.equal(
  (await admin.json("POST", `/api/admin/users/${victim.user.id}/role`, { json: { role: "distributor" } })).status,
  200,
);
const downline = await signedIn("victim-downline@example.com", "Dora Downline", {
  referralCode: victim.user.referralCode,
});
const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "Me routes", category: "home", price: "100.00", costPrice: "40.00", stock: 10, lowStockThreshold: 1 },
});
await buyAndPay(downline.c, app.settings.paymentSandboxSecret, product.body.product.id);
await new Promise((r) => setTimeout(r, 1100));
const closed = await admin.json("POST", "/api/admin/settlements", {
  json: { startsAt: "2026-01-01T00:00:00Z", endsAt: new Date(Date.now() - 50).toISOString() },
});
assert.equal(closed.status, 201, JSON.stringify(closed.body));
const [statement] = await app.db.query<{ id: string }>("SELECT id FROM statements WHERE user_id = $1", [
  victim.user.id,
]);
assert.ok(statement, "the victim has a statement");
const [note] = await app.db.query<{ id: string }>(
  `INSERT INTO notifications (user_id, kind, title, body) VALUES ($1, 'test', 'VICTIM-NOTE', 'private') RETURNING id`,
  [victim.user.id],
);
const victimAddress = await victim.c.json<{ address: { id: string } }>("POST", "/api/me/addresses", {
  json: { name: "Vivian Victim", phone: "13800009999", line1: "Victim Road 1", city: "上海" },
});
assert.equal(victimAddress.status, 201);
/** Text that only the victim's own data contains. */
const MARKERS = ["Vivian", "victim-owner@example.com", "Dora", "VICTIM-NOTE", victim.user.referralCode];

/** A concrete URL for a route, its parameters filled with the victim's resources. */
function urlsFor(path: string): string[] {
  if (!path.includes(":")) {
    const withVictim = path === "/api/me/team/children" ? [`${path}?parentId=${victim.user.id}`] : [];
    return [path, ...withVictim];
  }
  if (path === "/api/me/statements/:file" || path === "/api/me/statements/:id") {
    return ["", ".csv", ".pdf"].map((ext) => `/api/me/statements/${statement.id}${ext}`);
  }
  throw new Error(`${path}: add how to fill its parameters with the victim's data to this test`);
}

/** Every list in a JSON answer (items, members), so that a caller without data of their own sees none. */
function lists(value: unknown, at = "$"): [string, unknown[]][] {
  if (Array.isArray(value)) return [[at, value]];
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => lists(v, `${at}.${k}`));
  }
  return [];
}

let signedInCallers: Promise<[string, TestClient][]> | undefined;
/** A shopper, a distributor and a manager of each staff role, none with data of their own. */
function callers(): Promise<[string, TestClient][]> {
  return signedInCallers ??= makeCallers();
}

async function makeCallers(): Promise<[string, TestClient][]> {
  const out: [string, TestClient][] = [];
  out.push(["shopper", (await signedIn("me-shopper@example.com", "Shopper")).c]);
  const distributor = await signedIn("me-distributor@example.com", "Distributor");
  await app.db.query("UPDATE users SET role = 'distributor' WHERE id = $1", [distributor.user.id]);
  out.push(["distributor", distributor.c]);
  for (const staffRole of ["admin", "finance", "operations", "support"]) {
    const staff = await signedIn(`me-${staffRole}@example.com`, `Staff ${staffRole}`);
    await app.db.query("UPDATE users SET role = 'manager', staff_role = $2 WHERE id = $1", [staff.user.id, staffRole]);
    out.push([`manager (${staffRole})`, staff.c]);
  }
  return out;
}

Deno.test(
  "every GET /api/me/* route returns only the caller's own data, whatever the caller's role",
  opts,
  async () => {
    const routes = (await meRoutes()).filter((r) => r.method === "GET");
    assert.ok(routes.some((r) => r.path.startsWith("/api/me/statements/")), JSON.stringify(routes));
    assert.ok(routes.length >= 8, `only ${routes.length} routes found`);
    // The owner does get their statement through these routes.
    for (const url of urlsFor("/api/me/statements/:file")) {
      const own = await victim.c.request("GET", url);
      assert.equal(own.status, 200, url);
      await own.body?.cancel();
    }
    for (const [role, caller] of await callers()) {
      for (const route of routes) {
        for (const url of urlsFor(route.path)) {
          const res = await caller.request("GET", url);
          const bytes = new Uint8Array(await res.arrayBuffer());
          const text = new TextDecoder().decode(bytes);
          const where = `${role} GET ${url} → ${res.status}`;
          if (url.includes(statement.id) || url.includes("parentId")) {
            assert.ok(res.status === 404 || res.status === 403, `${where}: another member's data is not served`);
          } else {
            assert.ok(res.status < 500, `${where}: ${text.slice(0, 200)}`);
          }
          for (const marker of MARKERS) assert.ok(!text.includes(marker), `${where} shows "${marker}"`);
          if (res.status === 200 && res.headers.get("content-type")?.includes("json")) {
            for (const [at, list] of lists(JSON.parse(text))) {
              assert.equal(list.length, 0, `${where}: ${at} lists data that is not the caller's`);
            }
          }
        }
      }
    }
  },
);

Deno.test("state-changing /api/me/* routes never touch another member's data", opts, async () => {
  const routes = (await meRoutes()).filter((r) => r.method !== "GET");
  const withParams = routes.filter((r) => r.path.includes(":"));
  assert.ok(
    withParams.every((r) => r.path === "/api/me/addresses/:id"),
    `add parameter cases for ${JSON.stringify(withParams)}`,
  );
  const address = `/api/me/addresses/${victimAddress.body.address.id}`;
  for (const [role, caller] of await callers()) {
    const res = await caller.request("POST", "/api/me/notifications/read", { json: { id: String(note.id) } });
    assert.ok(res.status < 300, role);
    for (const r of withParams) {
      const other = await caller.request(r.method, address, { json: { line1: "Hijacked 1", isDefault: true } });
      await other.body?.cancel();
      assert.equal(other.status, 404, `${role} ${r.method} ${address}`);
    }
  }
  const book = await victim.c.json<{ items: { id: string; line1: string }[] }>("GET", "/api/me/addresses");
  assert.deepEqual(book.body.items.map((a) => a.line1), ["Victim Road 1"], "the victim's address is untouched");
  const [row] = await app.db.query<{ read_at: Date | null }>("SELECT read_at FROM notifications WHERE id = $1", [
    note.id,
  ]);
  assert.equal(row.read_at, null, "the victim's notification is still unread");
});

Deno.test("staff read a member's statement through the admin route, by permission", opts, async () => {
  const finance = await signedIn("stmt-finance@example.com", "Finance");
  await app.db.query("UPDATE users SET role = 'manager', staff_role = 'finance' WHERE id = $1", [finance.user.id]);
  const ok = await finance.c.request("GET", `/admin/statements/${statement.id}.csv`);
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  const support = await signedIn("stmt-support@example.com", "Support");
  await app.db.query("UPDATE users SET role = 'manager', staff_role = 'support' WHERE id = $1", [support.user.id]);
  const refused = await support.c.request("GET", `/admin/statements/${statement.id}.csv`);
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
