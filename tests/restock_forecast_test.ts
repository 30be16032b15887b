/**
 * The restock forecast per SKU through the console: each SKU's 14-day sales rate, days of cover and suggested
 * reorder with the product's lead time, on the product page, the catalogue list (sortable by reorder) and
 * the console home's low-stock list; archived SKUs and unpaid orders left out.
 */
import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { lowStockSkus, productForecast, stockOverview } from "../services/stock_admin.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const address = { name: "赵六", phone: "13900002222", line1: "中山路 2 号", city: "杭州" };
const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

async function buy(c: TestClient, productId: string, skuId: string, quantity: number, pay = true) {
  const created = await c.json<{ order: { id: string } }>("POST", "/api/orders", {
    json: { items: [{ productId, skuId, quantity }], address },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  if (!pay) return;
  const res = await c.json<{ payment: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${created.body.order.id}/pay`,
    { json: { method: "sandbox" } },
  );
  const raw = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: res.body.payment.id,
    amount: res.body.payment.amount,
    status: "succeeded",
  });
  const hook = await c.request("POST", "/api/payments/webhook/sandbox", {
    body: raw,
    headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(raw) },
  });
  assert.equal(hook.status, 200);
  await hook.body?.cancel();
}

// A cream in two volumes, lead time 10 days: the 50 ml sells fast from a small stock, the 100 ml hardly.
const created = await admin.json<{ product: { id: string; skus: { id: string; code: string }[] } }>(
  "POST",
  "/api/admin/products",
  {
    json: {
      name: "预测面霜",
      category: "beauty",
      restockLeadDays: 10,
      skus: [
        { code: "C-50", specs: { 容量: "50ml" }, price: "89.00", costPrice: "30.00", stock: 6, lowStockThreshold: 2 },
        {
          code: "C-100",
          specs: { 容量: "100ml" },
          price: "149.00",
          costPrice: "50.00",
          stock: 100,
          lowStockThreshold: 5,
        },
      ],
    },
  },
);
assert.equal(created.status, 201, JSON.stringify(created.body));
const productId = created.body.product.id;
const [small, large] = created.body.product.skus.map((s) => s.id);
const buyer = app.client();
await buyer.register("forecast-buyer@example.com", "预测买家");
await buy(buyer, productId, small, 3);
await buy(buyer, productId, small, 1);
await buy(buyer, productId, large, 1);
await buy(buyer, productId, small, 1, false); // unpaid: reserved (not sellable) but not sold

Deno.test("productForecast(): each SKU at its own rate with the product's lead time", opts, async () => {
  const f = (await productForecast(app.db, productId))!;
  assert.equal(f.leadDays, 10);
  const bySku = Object.fromEntries(f.skus.map((s) => [s.id, s]));
  // 50 ml: 6 on hand, 4 sold, 1 reserved → 1 sellable; 4 in 14 days lasts 3 days, under 10: due.
  // Reorder: 4 × (10 + 14) / 14 = 6.86 → 7, plus the threshold 2, less 1 sellable = 8.
  assert.deepEqual(
    (({ sellable, sold14, dailyRate, daysLeft, restockNow, low, suggestedReorder, label }) => ({
      sellable,
      sold14,
      dailyRate,
      daysLeft,
      restockNow,
      low,
      suggestedReorder,
      label,
    }))(bySku[small]),
    {
      sellable: 1,
      sold14: 4,
      dailyRate: "0.29",
      daysLeft: 3,
      restockNow: true,
      low: true,
      suggestedReorder: 8,
      label: "50ml",
    },
  );
  assert.equal(bySku[large].sellable, 99);
  assert.equal(bySku[large].daysLeft, 1386);
  assert.equal(bySku[large].restockNow, false);
  assert.equal(bySku[large].suggestedReorder, 0);
  assert.equal(f.summary.restockNow, true);
  assert.equal(f.summary.skusToRestock, 1);
  assert.equal(f.summary.suggestedReorder, 8);
  assert.equal(f.summary.daysLeft, 3);
  assert.equal(await productForecast(app.db, "999999"), null);
  assert.equal(await productForecast(app.db, "x'; DROP TABLE products; --"), null);
});

Deno.test(
  "the product page shows the forecast per SKU; the catalogue flags the product and sorts by reorder",
  opts,
  async () => {
    const page = await admin.request("GET", `/admin/products/${productId}/edit`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const card = html.slice(html.indexOf('data-testid="restock-forecast"'));
    assert.match(card, new RegExp(`data-sku="${small}"[\\s\\S]*?data-testid="sku-reorder">8<`));
    assert.match(card, new RegExp(`data-sku="${large}"[\\s\\S]*?data-testid="sku-reorder">—<`));
    assert.match(card, /1 个规格需补货/);
    assert.match(card, /补货周期（10 天）/);
    // Another product that looks fine as a whole: the catalogue ranks the due one first and sorts by reorder.
    await admin.json("POST", "/api/admin/products", {
      json: {
        name: "平稳商品",
        category: "beauty",
        price: "9.00",
        costPrice: "3.00",
        stock: 500,
        lowStockThreshold: 5,
      },
    });
    const { rows } = await stockOverview(app.db, { page: 1, pageSize: 50 });
    assert.equal(rows[0].id, productId, "due products first");
    assert.equal(rows[0].suggestedReorder, 8);
    assert.equal(rows[0].skusToRestock, 1);
    assert.equal(rows[0].sellable, 100);
    const asc = await stockOverview(app.db, { page: 1, pageSize: 50, sort: "reorder", dir: "asc" });
    assert.deepEqual(asc.rows.map((r) => r.suggestedReorder), [0, 8]);
    const list = await admin.request("GET", "/admin/products?sort=reorder&dir=desc");
    assert.equal(list.status, 200);
    const listHtml = await list.text();
    assert.match(listHtml, /aria-sort="descending"[^>]*>\s*<a class="sort-link" href="\?sort=reorder&amp;dir=asc"/);
    assert.match(listHtml, /1 个规格需补货/);
    const due = await admin.request("GET", "/admin/products?show=restock");
    const dueHtml = await due.text();
    assert.match(dueHtml, /预测面霜/);
    assert.doesNotMatch(dueHtml, /平稳商品/);
    const bad = await admin.request("GET", "/admin/products?sort=price%3BDROP");
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /排序字段只能是/);
  },
);

Deno.test(
  "the low-stock list is per SKU with days of cover and the suggested reorder; archived SKUs leave it",
  opts,
  async () => {
    const low = await lowStockSkus(app.db);
    assert.deepEqual(low.map((s) => [s.id, s.productId, s.label, s.sellable, s.suggestedReorder, s.daysLeft]), [
      [small, productId, "50ml", 1, 8, 3],
    ]);
    const home = await admin.request("GET", "/admin");
    const html = await home.text();
    const alerts = html.slice(html.indexOf('data-testid="stock-alerts"'));
    assert.match(
      alerts,
      new RegExp(`data-sku="${small}"[\\s\\S]*?预测面霜 50ml[\\s\\S]*?约 3 天售罄[\\s\\S]*?建议补货 8 件`),
    );
    await app.db.query("UPDATE product_skus SET archived_at = now() WHERE id = $1", [small]);
    assert.deepEqual(await lowStockSkus(app.db), []);
    assert.deepEqual((await productForecast(app.db, productId))!.skus.map((s) => s.id), [large]);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
