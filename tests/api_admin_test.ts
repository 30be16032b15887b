import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type AuditItem = {
  id: string;
  actorId: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  at: string;
  [key: string]: unknown;
};
type AuditList = { items: AuditItem[]; total: number };

function assertError(res: { status: number; body: unknown }, status: number, code: string, fields: string[] = []) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const body = res.body as ApiError;
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  for (const f of fields) {
    assert.equal(typeof body.error.fields?.[f], "string", `fields.${f} missing in ${JSON.stringify(body)}`);
  }
}

const manager = app.client();
const managerLogin = await manager.login(app.settings.ADMIN_EMAIL, app.settings.ADMIN_PASSWORD!);
assert.equal(managerLogin.status, 200);
const managerId = String(managerLogin.body.user.id);

async function roleOf(id: string): Promise<string> {
  const [row] = await app.db.query<{ role: string }>("SELECT role FROM users WHERE id = $1", [id]);
  return row.role;
}

async function auditRowsFor(id: string) {
  return await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_log WHERE target = $1",
    [`user:${id}`],
  ).then((r) => r[0].n);
}

async function newShopper(email: string): Promise<{ client: TestClient; id: string }> {
  const client = app.client();
  const user = await client.register(email, email.split("@")[0]);
  return { client, id: String(user.id) };
}

Deno.test("/api/admin routes answer 401 unauthenticated without a session", opts, async () => {
  const { id } = await newShopper("target-anon@example.com");
  const anon = app.client();
  assertError(
    await anon.json("POST", `/api/admin/users/${id}/role`, { json: { role: "manager" } }),
    401,
    "unauthenticated",
  );
  assertError(await anon.json("GET", "/api/admin/audit"), 401, "unauthenticated");
  assert.equal(await roleOf(id), "shopper");
  assert.equal(await auditRowsFor(id), 0);
});

Deno.test("/api/admin routes answer 403 forbidden for a shopper and a distributor", opts, async () => {
  const shopper = await newShopper("plain-shopper@example.com");
  assertError(
    await shopper.client.json("POST", `/api/admin/users/${shopper.id}/role`, { json: { role: "manager" } }),
    403,
    "forbidden",
  );
  assertError(await shopper.client.json("GET", "/api/admin/audit"), 403, "forbidden");
  assert.equal(await roleOf(shopper.id), "shopper");
  assert.equal(await auditRowsFor(shopper.id), 0);

  const distributor = await newShopper("plain-distributor@example.com");
  await app.db.query("UPDATE users SET role = 'distributor' WHERE id = $1", [distributor.id]);
  assertError(
    await distributor.client.json("POST", `/api/admin/users/${shopper.id}/role`, { json: { role: "distributor" } }),
    403,
    "forbidden",
  );
  assertError(await distributor.client.json("GET", "/api/admin/audit"), 403, "forbidden");
  assert.equal(await roleOf(shopper.id), "shopper");
});

Deno.test(
  "POST /api/admin/users/:id/role changes the role and leaves exactly one audit entry with before/after",
  opts,
  async () => {
    const target = await newShopper("promote@example.com");
    const res = await manager.json<{ user: Record<string, unknown> }>("POST", `/api/admin/users/${target.id}/role`, {
      json: { role: "distributor" },
    });
    assert.equal(res.status, 200);
    const u = res.body.user;
    assert.equal(u.id, target.id);
    assert.equal(u.role, "distributor");
    assert.equal(u.email, "promote@example.com");
    for (const key of ["id", "email", "name", "role", "referralCode", "uplineId", "level"]) assert.ok(key in u, key);
    assert.doesNotMatch(JSON.stringify(res.body), /password|hash/i);
    assert.equal(await roleOf(target.id), "distributor");
    // The member's own session sees the new role at once.
    const me = await target.client.json<{ user: { role: string } }>("GET", "/api/me");
    assert.equal(me.body.user.role, "distributor");

    const audit = await manager.json<AuditList>("GET", `/api/admin/audit?action=user.role_change`);
    assert.equal(audit.status, 200);
    const entries = audit.body.items.filter((e) => e.target === `user:${target.id}`);
    assert.equal(entries.length, 1, JSON.stringify(audit.body));
    const entry = entries[0];
    assert.equal(entry.actorId, managerId);
    assert.equal(entry.action, "user.role_change");
    assert.deepEqual(entry.before, { role: "shopper" });
    assert.deepEqual(entry.after, { role: "distributor" });
    assert.equal(typeof entry.id, "string");
    assert.ok(!Number.isNaN(Date.parse(entry.at)), "at is an ISO time");
    assert.equal(await auditRowsFor(target.id), 1);
  },
);

Deno.test("POST /api/admin/users/:id/role to manager gives the member access to /api/admin", opts, async () => {
  const target = await newShopper("new-manager@example.com");
  assertError(await target.client.json("GET", "/api/admin/audit"), 403, "forbidden");
  const res = await manager.json("POST", `/api/admin/users/${target.id}/role`, { json: { role: "manager" } });
  assert.equal(res.status, 200);
  // A new manager starts as support staff (least privilege): orders yes, the audit log no.
  assert.equal((await target.client.json("GET", "/api/admin/orders")).status, 200);
  assertError(await target.client.json("GET", "/api/admin/audit"), 403, "forbidden");
  // ...and demoting takes it away again, with a second audit entry.
  assert.equal(
    (await manager.json("POST", `/api/admin/users/${target.id}/role`, { json: { role: "shopper" } })).status,
    200,
  );
  assertError(await target.client.json("GET", "/api/admin/orders"), 403, "forbidden");
  const audit = await manager.json<AuditList>("GET", "/api/admin/audit");
  const mine = audit.body.items.filter((e) => e.target === `user:${target.id}`);
  assert.deepEqual(
    mine.map((e) => [e.before, e.after]),
    [[{ role: "manager" }, { role: "shopper" }], [{ role: "shopper" }, { role: "manager" }]],
    "newest first",
  );
});

Deno.test(
  "POST /api/admin/users/:id/role answers 400 with fields.role for a bad role (413 for a body over the limit) and changes nothing",
  opts,
  async () => {
    const target = await newShopper("badrole@example.com");
    const path = `/api/admin/users/${target.id}/role`;
    assertError(await manager.json("POST", path, { json: { role: "king" } }), 400, "invalid_input", ["role"]);
    assertError(await manager.json("POST", path, { json: { role: 3 } }), 400, "invalid_input", ["role"]);
    assertError(await manager.json("POST", path, { json: {} }), 400, "invalid_input", ["role"]);
    assertError(
      await manager.json("POST", path, { body: "{role:", headers: { "content-type": "application/json" } }),
      400,
      "invalid_input",
      ["body"],
    );
    const big = await manager.json("POST", path, { json: { role: "distributor", pad: "x".repeat(65 * 1024) } });
    assertError(big, 413, "payload_too_large");
    assert.ok(Object.keys((big.body as ApiError).error.fields ?? {}).length > 0, "fields expected");
    assert.equal(await roleOf(target.id), "shopper");
    assert.equal(await auditRowsFor(target.id), 0);
  },
);

Deno.test(
  "POST /api/admin/users/:id/role answers 404 for an unknown member and 400 with fields.id for a malformed id",
  opts,
  async () => {
    assertError(
      await manager.json("POST", "/api/admin/users/987654321/role", { json: { role: "distributor" } }),
      404,
      "not_found",
    );
    assertError(
      await manager.json("POST", "/api/admin/users/abc/role", { json: { role: "distributor" } }),
      400,
      "invalid_input",
      ["id"],
    );
    const [{ n }] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE target IN ('user:987654321', 'user:abc')",
    );
    assert.equal(n, 0);
  },
);

Deno.test(
  "POST /api/admin/users/:id/role with a foreign Origin answers 403 forbidden and changes nothing",
  opts,
  async () => {
    const target = await newShopper("csrf-role@example.com");
    const res = await manager.json("POST", `/api/admin/users/${target.id}/role`, {
      json: { role: "manager" },
      headers: { origin: "https://evil.example" },
    });
    assertError(res, 403, "forbidden");
    assert.equal(await roleOf(target.id), "shopper");
    assert.equal(await auditRowsFor(target.id), 0);
  },
);

Deno.test("GET /api/admin/audit answers { items, total }, filters by actor and action, and pages", opts, async () => {
  const a = await newShopper("audit-a@example.com");
  const b = await newShopper("audit-b@example.com");
  for (const [id, role] of [[a.id, "distributor"], [b.id, "distributor"], [a.id, "shopper"]]) {
    assert.equal((await manager.json("POST", `/api/admin/users/${id}/role`, { json: { role } })).status, 200);
  }
  const all = await manager.json<AuditList>("GET", "/api/admin/audit");
  assert.equal(all.status, 200);
  assert.deepEqual(Object.keys(all.body).sort(), ["items", "total"]);
  assert.equal(all.body.total, all.body.items.length);
  assert.ok(all.body.total >= 3);
  const byActor = await manager.json<AuditList>("GET", `/api/admin/audit?actor=${managerId}`);
  assert.equal(byActor.body.total, all.body.total, "the manager made every change");
  const nobody = await manager.json<AuditList>("GET", `/api/admin/audit?actor=${a.id}`);
  assert.deepEqual(nobody.body, { items: [], total: 0 });
  const noAction = await manager.json<AuditList>("GET", "/api/admin/audit?action=no.such_action");
  assert.deepEqual(noAction.body, { items: [], total: 0 });

  const page1 = await manager.json<AuditList>("GET", "/api/admin/audit?pageSize=2&page=1");
  const page2 = await manager.json<AuditList>("GET", "/api/admin/audit?pageSize=2&page=2");
  assert.equal(page1.body.items.length, 2);
  assert.equal(page1.body.total, all.body.total);
  assert.deepEqual(
    [...page1.body.items, ...page2.body.items].map((e) => e.id),
    all.body.items.slice(0, 4).map((e) => e.id),
  );
  const ids = all.body.items.map((e) => Number(e.id));
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x), "newest first");
});

Deno.test("GET /api/admin/audit answers 400 with fields for a bad actor, page or pageSize", opts, async () => {
  assertError(await manager.json("GET", "/api/admin/audit?actor=me"), 400, "invalid_input", ["actor"]);
  assertError(await manager.json("GET", "/api/admin/audit?pageSize=101"), 400, "invalid_input", ["pageSize"]);
  assertError(await manager.json("GET", "/api/admin/audit?page=0"), 400, "invalid_input", ["page"]);
});

Deno.test(
  "the last admin cannot be demoted or lose the admin staff role; with a second admin it can",
  opts,
  async () => {
    const admins = await app.db.query<{ id: string }>(
      "SELECT id FROM users WHERE role = 'manager' AND coalesce(staff_role, 'admin') = 'admin'",
    );
    assert.deepEqual(admins.map((a) => String(a.id)), [managerId], "one admin to start with");
    const demote = await manager.json<{ error: { code: string; message: string } }>(
      "POST",
      `/api/admin/users/${managerId}/role`,
      { json: { role: "shopper" } },
    );
    assert.equal(demote.status, 409);
    assert.match(demote.body.error.message, /at least one admin/);
    const narrow = await manager.json("POST", `/api/admin/users/${managerId}/staff-role`, {
      json: { staffRole: "support" },
    });
    assert.equal(narrow.status, 409);
    const [still] = await app.db.query<{ role: string; staff_role: string | null }>(
      "SELECT role, staff_role FROM users WHERE id = $1",
      [managerId],
    );
    assert.equal(still.role, "manager");
    assert.notEqual(still.staff_role, "support");

    const other = app.client();
    const second = await other.register("second-admin@example.com", "Second");
    assert.equal(
      (await manager.json("POST", `/api/admin/users/${second.id}/role`, { json: { role: "manager" } })).status,
      200,
    );
    assert.equal(
      (await manager.json("POST", `/api/admin/users/${second.id}/staff-role`, { json: { staffRole: "admin" } })).status,
      200,
    );
    // Now the second admin may narrow the first; the second is then the last admin.
    await other.login("second-admin@example.com", "password-123");
    assert.equal(
      (await other.json("POST", `/api/admin/users/${managerId}/staff-role`, { json: { staffRole: "finance" } })).status,
      200,
    );
    assert.equal(
      (await other.json("POST", `/api/admin/users/${second.id}/role`, { json: { role: "shopper" } })).status,
      409,
    );
    await app.db.query("UPDATE users SET staff_role = 'admin' WHERE id = $1", [managerId]);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
