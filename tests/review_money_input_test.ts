/**
 * Review: bad input to the money endpoints must never be a 5xx (ARCHITECTURE rule 7), and the same
 * Idempotency-Key with a different body is 422 `idempotency_mismatch` (API_CONTRACT conventions).
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, installPlanForTest } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

Deno.test("review: a signed webhook whose ids contain a NUL character is a 4xx, not a 500", opts, async () => {
  const results: string[] = [];
  for (
    const body of [
      { eventId: "evt\u0000x", paymentId: "pay_x", amount: "1.00", status: "succeeded" },
      { eventId: "evt-1", paymentId: "pay\u0000x", amount: "1.00", status: "succeeded" },
    ]
  ) {
    const raw = JSON.stringify(body);
    const res = await app.client().request("POST", "/api/payments/webhook/sandbox", {
      body: raw,
      headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(raw) },
    });
    results.push(`${res.status} ${await res.text()}`);
  }
  assert.deepEqual(results.filter((r) => r.startsWith("5")), [], "no 5xx");
});

Deno.test(
  "review: a withdrawal retried with the same Idempotency-Key but another amount is refused",
  opts,
  async () => {
    await installPlanForTest(app.db, { holdDays: 0, minWithdrawal: "1.00", withdrawalFee: "0.00" });
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
    await buyer.json("POST", `/api/orders/${orderId}/confirm-receipt`);
    const { releaseDueCommissions } = await import("../services/distribution.ts");
    await releaseDueCommissions(app.db, new Date(Date.now() + 60_000));
    const key = crypto.randomUUID();
    const first = await upline.json("POST", "/api/me/withdrawals", {
      json: { amount: "20.00" },
      headers: { "idempotency-key": key },
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const second = await upline.json<{ error?: { code: string }; withdrawal?: { amount: string } }>(
      "POST",
      "/api/me/withdrawals",
      { json: { amount: "50.00" }, headers: { "idempotency-key": key } },
    );
    assert.equal(
      second.status,
      422,
      `same key, different amount: got ${second.status} ${
        JSON.stringify(second.body)
      } (the client believes 50.00 was requested)`,
    );
    assert.equal(second.body.error?.code, "idempotency_mismatch");
  },
);
