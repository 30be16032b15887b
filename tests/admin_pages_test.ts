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
      "/admin/audit?format=xlsx",
      "/admin/staff",
      "/admin/products.csv",
      "/admin/products.xlsx",
      "/admin/analytics.pdf",
      "/admin?days=7&city=%E4%B8%8A%E6%B5%B7&rank=gold",
      "/admin/analytics/top-products.xlsx",
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

Deno.test(
  "catalogue page: forecast flags, stock change by form, picture upload (PNG only) served in place of the generated one",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: {
        name: "图片商品",
        category: "beauty",
        price: "10.00",
        costPrice: "5.00",
        stock: 30,
        lowStockThreshold: 5,
      },
    });
    const id = created.body.product.id;
    const page = await admin.request("GET", "/admin/products");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /图片商品/);
    await admin.request("GET", "/admin/products"); // sets the csrf cookie if needed
    const csrf = admin.cookies.get("csrf")!;
    const change = await admin.request("POST", `/admin/products/${id}`, {
      body: new URLSearchParams({ _csrf: csrf, stock: "3" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(change.status, 303);
    const [row] = await app.db.query<{ stock: number }>("SELECT stock FROM products WHERE id = $1", [id]);
    assert.equal(row.stock, 3);
    const schedule = await admin.request("POST", `/admin/products/${id}`, {
      body: new URLSearchParams({ _csrf: csrf, offShelfAt: "2020-01-01T10:00" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(schedule.status, 303);
    const offShelf = await app.client().request("GET", `/api/products/${id}`);
    assert.equal(offShelf.status, 404, "past its off-shelf time the product is hidden from shoppers");
    await offShelf.body?.cancel();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    const form = new FormData();
    form.set("_csrf", csrf);
    form.set("image", new File([png], "a.png", { type: "image/png" }));
    const upload = await admin.request("POST", `/admin/products/${id}/image`, { body: form });
    assert.equal(upload.status, 303);
    const image = await app.client().request("GET", `/images/products/${id}.svg`);
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png);
    const bad = new FormData();
    bad.set("_csrf", csrf);
    bad.set("image", new File(["<svg onload=alert(1)>"], "x.svg", { type: "image/svg+xml" }));
    const refused = await admin.request("POST", `/admin/products/${id}/image`, { body: bad });
    assert.equal(refused.status, 400);
    await refused.body?.cancel();
  },
);

Deno.test("a distributor's profile page shows rank, team and tags; unknown ids are 404", opts, async () => {
  const admin = app.client();
  await admin.login("admin@test.example", "admin-password-1");
  const d = app.client();
  const user = await d.register(`dp-${crypto.randomUUID().slice(0, 6)}@example.com`, "Profile Person");
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "distributor" } });
  const page = await admin.request("GET", `/admin/distributors/${user.id}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Profile Person/);
  const missing = await admin.request("GET", "/admin/distributors/999999");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
