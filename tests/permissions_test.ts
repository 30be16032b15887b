import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";
import { can, type Permission, PERMISSIONS, STAFF_ROLES, type StaffRole } from "../domain/permissions.ts";
import { loadAppRoutes } from "../app.tsx";
import { permissionFor as routePermission } from "../lib/guards.ts";

const app = await createTestApp();
const routes = await loadAppRoutes();
/** The permission the routes tree gives a request (its `requirePermission` guard). */
const permissionFor = (method: string, path: string) => routePermission(routes, method, path);
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

/** Every admin API route with a request that reaches its handler. */
const ROUTES: [string, string, unknown?][] = [
  ["GET", "/api/admin/audit"],
  ["POST", "/api/admin/users/1/role", { role: "manager" }],
  ["POST", "/api/admin/users/1/staff-role", { staffRole: "admin" }],
  ["POST", "/api/admin/users/1/upline", { uplineId: "1" }],
  ["GET", "/api/admin/users/1"],
  ["GET", "/api/admin/users"],
  ["POST", "/api/admin/users/999999/erase"],
  ["GET", "/api/admin/products/import-template.csv"],
  ["POST", "/api/admin/products", {}],
  ["POST", "/api/admin/products/import", {}],
  ["PATCH", "/api/admin/products/1", {}],
  ["DELETE", "/api/admin/products/999999"],
  ["POST", "/api/admin/products/999999/restore"],
  ["GET", "/api/admin/products/1"],
  ["POST", "/api/admin/coupons", {}],
  ["GET", "/api/admin/orders"],
  ["POST", "/api/admin/orders/1/ship", {}],
  ["POST", "/api/admin/refunds/1/approve"],
  ["POST", "/api/admin/refunds/1/reject", {}],
  ["GET", "/api/admin/commission-plan"],
  ["PUT", "/api/admin/commission-plan", {}],
  ["POST", "/api/admin/commission-plan/simulate", {}],
  ["GET", "/api/admin/withdrawals"],
  ["POST", "/api/admin/withdrawals/1/approve"],
  ["POST", "/api/admin/withdrawals/1/reject", {}],
  ["POST", "/api/admin/settlements", {}],
  ["GET", "/api/admin/distributor-applications"],
  ["POST", "/api/admin/distributor-applications/1/approve", {}],
  ["GET", "/api/admin/home"],
  ["POST", "/api/admin/home/banners", {}],
  ["PATCH", "/api/admin/home/banners/999999", {}],
  ["DELETE", "/api/admin/home/banners/999999"],
  ["POST", "/api/admin/home/banners/999999/move", {}],
  ["POST", "/api/admin/home/blocks", {}],
  ["PATCH", "/api/admin/home/blocks/999999", {}],
  ["DELETE", "/api/admin/home/blocks/999999"],
  ["POST", "/api/admin/home/blocks/999999/move", {}],
];

async function staff(role: StaffRole): Promise<TestClient> {
  const c = app.client();
  const user = await c.register(`${role}-${crypto.randomUUID().slice(0, 6)}@example.com`, role);
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } })).status,
    200,
  );
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/staff-role`, { json: { staffRole: role } })).status,
    200,
  );
  return c;
}

Deno.test("every admin route is in the permission table", () => {
  for (const [method, path] of ROUTES) assert.ok(permissionFor(method, path), `${method} ${path}`);
  assert.ok(Object.keys(PERMISSIONS).length > 10);
});

Deno.test("each staff role on each admin route: allowed exactly when its permission says so", opts, async () => {
  for (const role of STAFF_ROLES) {
    const c = await staff(role);
    for (const [method, path, json] of ROUTES) {
      const res = await c.request(method, path, json === undefined ? {} : { json });
      await res.body?.cancel();
      const permission = permissionFor(method, path) as Permission;
      if (can(role, permission)) assert.notEqual(res.status, 403, `${role} ${method} ${path}`);
      else assert.equal(res.status, 403, `${role} ${method} ${path}`);
    }
  }
});

/** Every console page (and download) with the permission it needs. */
const PAGES: [path: string, permission: Permission][] = [
  ["/admin", "analytics.read"],
  ["/admin/analytics.json", "analytics.read"],
  ["/admin/analytics.pdf", "analytics.read"],
  ["/admin/analytics/top-products.csv", "analytics.read"],
  ["/admin/orders", "orders.read"],
  ["/admin/orders.csv", "orders.read"],
  ["/admin/products", "catalogue.write"],
  ["/admin/products.csv", "catalogue.write"],
  ["/admin/withdrawals", "withdrawals.read"],
  ["/admin/settlements", "settlements.close"],
  ["/admin/distributors", "members.read"],
  ["/admin/plan", "plan.read"],
  ["/admin/staff", "users.role"],
  ["/admin/audit", "audit.read"],
  ["/admin/home", "home.write"],
];
/** The sections the console's navigation links to. */
const SECTIONS = PAGES.filter(([path]) => !/[.]/.test(path));

Deno.test(
  "each staff role on each console page: 200 exactly when its permission says so; the menu shows only those",
  opts,
  async () => {
    for (const role of STAFF_ROLES) {
      const c = await staff(role);
      for (const [path, permission] of PAGES) {
        const res = await c.request("GET", path);
        await res.body?.cancel();
        assert.equal(res.status, can(role, permission) ? 200 : 403, `${role} GET ${path}`);
      }
      const home = await (await c.request("GET", "/admin")).text();
      const nav = home.match(/<nav id="console-nav"[^>]*>[\s\S]*?<\/nav>/)![0];
      for (const [path, permission] of SECTIONS) {
        assert.equal(nav.includes(`href="${path}"`), can(role, permission), `${role} menu ${path}`);
      }
    }
    const shopper = app.client();
    await shopper.register("page-shopper@example.com", "Shopper");
    for (const [path] of PAGES) {
      const res = await shopper.request("GET", path);
      await res.body?.cancel();
      assert.equal(res.status, 403, `shopper GET ${path}`);
    }
  },
);

Deno.test("a distributor gets 403 on every /api/admin route; nobody signed in gets 401", opts, async () => {
  const d = app.client();
  const user = await d.register("dist@example.com", "Dist");
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "distributor" } });
  for (const [method, path, json] of ROUTES) {
    const res = await d.request(method, path, json === undefined ? {} : { json });
    await res.body?.cancel();
    assert.equal(res.status, 403, `${method} ${path}`);
    const anon = await app.client().request(method, path, json === undefined ? {} : { json });
    await anon.body?.cancel();
    assert.equal(anon.status, 401, `${method} ${path}`);
  }
});

Deno.test(
  "support staff see masked phones and ID numbers; finance sees them in full, and that view is audited",
  opts,
  async () => {
    const member = app.client();
    const user = await member.register("pii@example.com", "PII");
    assert.equal(
      (await member.json("PATCH", "/api/me/profile", {
        json: { phone: "13812341234", idNumber: "110101199001011234" },
      })).status,
      204,
    );
    const stored = await app.db.query<{ id_number_enc: string }>("SELECT id_number_enc FROM users WHERE id = $1", [
      user.id,
    ]);
    assert.match(stored[0].id_number_enc, /^v2:dev:/);
    assert.doesNotMatch(stored[0].id_number_enc, /110101/);
    const support = await staff("support");
    const masked = await support.json<{ phone: string; idNumber: string }>("GET", `/api/admin/users/${user.id}`);
    assert.equal(masked.body.phone, "138****1234");
    assert.equal(masked.body.idNumber, "110***********1234");
    const finance = await staff("finance");
    const full = await finance.json<{ phone: string; idNumber: string }>("GET", `/api/admin/users/${user.id}`);
    assert.equal(full.body.phone, "13812341234");
    assert.equal(full.body.idNumber, "110101199001011234");
    const views = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.pii_view' AND target = $1",
      [
        `user:${user.id}`,
      ],
    );
    assert.equal(views[0].n, 1);
    assert.equal((await member.json("PATCH", "/api/me/profile", { json: { idNumber: "123" } })).status, 400);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
