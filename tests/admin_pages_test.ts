import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("the manager console pages answer by staff role; forms need the CSRF token", opts, async () => {
  const admin = app.client();
  await admin.login("admin@test.example", "admin-password-1");
  for (
    const path of [
      "/admin",
      "/admin/orders",
      "/admin/withdrawals",
      "/admin/audit",
      "/admin/plan",
      "/admin/orders.csv",
      "/admin/audit?format=csv",
    ]
  ) {
    const res = await admin.request("GET", path);
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  const support = app.client();
  const user = await support.register("support@example.com", "Support");
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } });
  const audit = await support.request("GET", "/admin/audit");
  assert.equal(audit.status, 403);
  await audit.body?.cancel();
  const orders = await support.request("GET", "/admin/orders");
  assert.equal(orders.status, 200);
  await orders.body?.cancel();
  const shopper = app.client();
  await shopper.register("shopper@example.com", "Shopper");
  const denied = await shopper.request("GET", "/admin/orders");
  assert.equal(denied.status, 403);
  await denied.body?.cancel();
  const noCsrf = await admin.request("POST", "/admin/orders/1/ship", {
    body: "carrier=SF&trackingNumber=SF1234",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(noCsrf.status, 403);
  await noCsrf.body?.cancel();
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
