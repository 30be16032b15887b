import assert from "node:assert/strict";
import { buyAndPay, createTestApp } from "./helpers.ts";
import { analyticsSnapshot } from "../services/analytics.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const address = { name: "李四", phone: "13900001111", line1: "解放路 2 号", city: "杭州" };

/** A member buys one unit of a new product at `price` and pays through the sandbox; returns the order id. */
async function paidOrder(price: string): Promise<string> {
  const admin = app.client();
  await admin.login("admin@test.example", "admin-password-1");
  const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name: `昨日 ${price}`, category: "beauty", price, costPrice: "1.00", stock: 10, lowStockThreshold: 1 },
  });
  const buyer = app.client();
  await buyer.register(`y-${crypto.randomUUID().slice(0, 6)}@example.com`, "买家");
  return await buyAndPay(buyer, app.settings.paymentSandboxSecret, product.body.product.id, 1, address);
}

Deno.test(
  "analytics: yesterday's GMV, orders, average order and conversion count only up to the same time of day",
  opts,
  async () => {
    const early = await paidOrder("100.00"); // paid yesterday at 10:00 (China time)
    const late = await paidOrder("60.00"); // paid yesterday at 14:00; ¥70.00 with shipping
    await app.db.query("UPDATE orders SET paid_at = $2 WHERE id = $1", [early, "2026-03-10T02:00:00Z"]);
    await app.db.query("UPDATE orders SET paid_at = $2 WHERE id = $1", [late, "2026-03-10T06:00:00Z"]);
    await app.db.query(
      `INSERT INTO daily_visitors (day, visitor, first_seen_at) VALUES
         ('2026-03-10', 'v-early-visitor', '2026-03-10T01:00:00Z'),
         ('2026-03-10', 'v-second-early', '2026-03-10T01:30:00Z'),
         ('2026-03-10', 'v-late-visitor', '2026-03-10T05:00:00Z')`,
    );
    // Today at 12:00 China time: yesterday up to 12:00 holds the 10:00 order and two visitors.
    const noon = new Date("2026-03-11T04:00:00Z");
    const a = await analyticsSnapshot(app.db, noon);
    assert.deepEqual(a.yesterday, {
      gmv: "100.00",
      orders: 1,
      averageOrder: "100.00",
      conversion: "0.5000",
      visitors: 2,
    });
    // At 23:00 both orders and all three visitors count.
    const evening = await analyticsSnapshot(app.db, new Date("2026-03-11T15:00:00Z"));
    assert.deepEqual(evening.yesterday, {
      gmv: "170.00",
      orders: 2,
      averageOrder: "85.00",
      conversion: "0.6667",
      visitors: 3,
    });
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
