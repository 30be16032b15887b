import assert from "node:assert/strict";
import { buyAndPay, createTestApp } from "./helpers.ts";
import { analyticsSnapshot } from "../services/analytics.ts";
import { type AnalyticsState, applyAnalyticsEvent } from "../client/analytics_model.ts";
import { eventsAfter, toLiveEvent } from "../db/events_repo.ts";

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

Deno.test(
  "top distributors: sales and commission are both net of refunds, in the snapshot and the live model alike",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: {
        name: "净额测试",
        category: "beauty",
        price: "100.00",
        costPrice: "1.00",
        stock: 10,
        lowStockThreshold: 1,
      },
    });
    const seller = app.client();
    const s = await seller.register(`s-${crypto.randomUUID().slice(0, 6)}@example.com`, "净额分销员");
    const buyer = app.client();
    await buyer.register(`b-${crypto.randomUUID().slice(0, 6)}@example.com`, "买家", { referralCode: s.referralCode });
    const live = await admin.json<{ state: AnalyticsState; lastEventId: number }>("GET", "/admin/analytics.json");
    assert.equal(live.status, 200);
    let state = live.body.state;
    const orderId = await buyAndPay(buyer, app.settings.paymentSandboxSecret, product.body.product.id, 2, address);
    const order = await buyer.json<{ order: { items: { id: string }[] } }>("GET", `/api/orders/${orderId}`);
    const refund = await buyer.json<{ refund: { id: string } }>("POST", `/api/orders/${orderId}/refunds`, {
      json: {
        kind: "return_refund",
        items: [{ orderItemId: order.body.order.items[0].id, quantity: 1 }],
        reason: "坏了",
      },
    });
    assert.equal((await admin.json("POST", `/api/admin/refunds/${refund.body.refund.id}/approve`)).status, 200);

    const snapshot = await analyticsSnapshot(app.db, new Date());
    const mine = snapshot.topDistributors.find((d) => d.id === String(s.id));
    assert.ok(mine, "the distributor is listed");
    assert.equal(mine.sales, "100.00", "one of two ¥100 units was refunded: net sales");
    const [{ net }] = await app.db.query<{ net: string }>(
      `SELECT (sum(l.amount) - coalesce(sum((SELECT sum(r.amount) FROM commission_reversals r WHERE r.commission_line_id = l.id)), 0))::numeric(20,2)::text AS net
         FROM commission_lines l WHERE l.beneficiary_id = $1 AND l.tier = 1`,
      [s.id],
    );
    assert.equal(mine.commission, net);
    assert.ok(Number(net) > 0);
    // The live island, following the event stream from the earlier state, shows the same figures.
    for (const e of await eventsAfter(app.db, live.body.lastEventId, { rooms: ["managers"] })) {
      state = applyAnalyticsEvent(state, toLiveEvent(e));
    }
    const model = state.topDistributors.find((d) => d.id === String(s.id));
    assert.deepEqual(model, mine);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
