/**
 * Review: with the default plan (holdDays 7 = returnWindowDays 7, which the compliance guard allows),
 * at the instant `delivered_at + 7 days` the release sweep makes commission available
 * (`delivered_at <= now - holdDays`) while the buyer may still ask for a refund
 * (`now > windowEnds` is false). The distributor can withdraw money that the refund then claws back.
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp } from "./helpers.ts";
import { releaseDueCommissions } from "../services/distribution.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("review: commission is never available while the order can still be refunded", opts, async () => {
  const app = await createTestApp();
  try {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const upline = app.client();
    const u = await upline.register(`up-${crypto.randomUUID().slice(0, 6)}@example.com`, "Up");
    const buyer = app.client();
    await buyer.register(`by-${crypto.randomUUID().slice(0, 6)}@example.com`, "Buyer", {
      referralCode: u.referralCode,
    });
    const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: { name: "茶具", category: "home", price: "1000.00", costPrice: "10.00", stock: 10, lowStockThreshold: 1 },
    });
    const orderId = await buyAndPay(buyer, app.settings.paymentSandboxSecret, product.body.product.id);
    await admin.json("POST", `/api/admin/orders/${orderId}/ship`, {
      json: { carrier: "SF", trackingNumber: "SF9999" },
    });
    const deliveredAt = new Date(Date.now() + 1000);
    const realNow = app.shop.now;
    (app.shop as { now: () => Date }).now = () => deliveredAt;
    assert.equal((await buyer.json("POST", `/api/orders/${orderId}/confirm-receipt`)).status, 200);
    const boundary = new Date(deliveredAt.getTime() + 7 * 86_400_000);
    (app.shop as { now: () => Date }).now = () => boundary;
    const released = await releaseDueCommissions(app.db, boundary);
    const [{ available }] = await app.db.query<{ available: string }>(
      "SELECT coalesce(sum(-balance), 0)::numeric(20,2)::text AS available FROM ledger_accounts WHERE owner_id = $1 AND kind = 'available'",
      [u.id],
    );
    const order = await buyer.json<{ order: { items: { id: string; quantity: number }[] } }>(
      "GET",
      `/api/orders/${orderId}`,
    );
    const refund = await buyer.json("POST", `/api/orders/${orderId}/refunds`, {
      json: { items: [{ orderItemId: order.body.order.items[0].id, quantity: 1 }], reason: "不想要了" },
    });
    (app.shop as { now: () => Date }).now = realNow;
    assert.ok(
      !(released > 0 && refund.status === 201),
      `at ${boundary.toISOString()} commission ${available} became available AND a refund was accepted (${refund.status})`,
    );
  } finally {
    await app.close();
  }
});
