/**
 * Every provider notification ends applied, duplicate or refunded through the provider — never
 * ignored: a success after a failure of the same payment, two successes for two payments of one
 * order, and a success after the order expired.
 */
import assert from "node:assert/strict";
import { createTestApp, TEST_ADDRESS, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { expireDueOrders } from "../services/orders.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "通知测试", category: "beauty", price: "50.00", costPrice: "10.00", stock: 100, lowStockThreshold: 1 },
});
const productId = product.body.product.id;

async function buyer(): Promise<TestClient> {
  const client = app.client();
  await client.register(`p-${crypto.randomUUID().slice(0, 8)}@example.com`, "买家");
  return client;
}

async function unpaidOrder(client: TestClient): Promise<string> {
  const res = await client.json<{ order: { id: string } }>("POST", "/api/orders", {
    json: { items: [{ productId, quantity: 1 }], address: TEST_ADDRESS },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.order.id;
}

async function startPayment(client: TestClient, orderId: string) {
  const res = await client.json<{ payment: { id: string; amount: string } }>("POST", `/api/orders/${orderId}/pay`, {
    json: { method: "sandbox" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.payment;
}

async function notify(payment: { id: string; amount: string }, status: "succeeded" | "failed") {
  const body = JSON.stringify({ eventId: crypto.randomUUID(), paymentId: payment.id, amount: payment.amount, status });
  const res = await app.client().json<{ outcome: string }>("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.outcome;
}

async function row<T>(sql: string, params: unknown[]): Promise<T> {
  const [r] = await app.db.query<T>(sql, params);
  return r;
}

Deno.test(
  "a signed body that is not JSON, or a field of the wrong type, is a 400 naming it; the order stays unpaid",
  opts,
  async () => {
    const client = await buyer();
    const orderId = await unpaidOrder(client);
    const payment = await startPayment(client, orderId);
    const post = async (body: string) =>
      await app.client().json<{ error: { code: string; fields?: Record<string, string> } }>(
        "POST",
        "/api/payments/webhook/sandbox",
        { body, headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) } },
      );
    const notJson = await post("paid, honest");
    assert.equal(notJson.status, 400, JSON.stringify(notJson.body));
    assert.equal(notJson.body.error.code, "invalid_input");
    assert.ok(notJson.body.error.fields?.body, "the body is named");
    const numeric = await post(
      JSON.stringify({ eventId: crypto.randomUUID(), paymentId: payment.id, amount: 50, status: "succeeded" }),
    );
    assert.equal(numeric.status, 400, JSON.stringify(numeric.body));
    assert.deepEqual(Object.keys(numeric.body.error.fields ?? {}), ["amount"]);
    const unsigned = await app.client().json("POST", "/api/payments/webhook/sandbox", {
      body: "paid, honest",
      headers: { "content-type": "application/json", "x-sandbox-signature": "sha256=00" },
    });
    assert.equal(unsigned.status, 401, "a bad signature is still a 401");
    assert.equal(
      (await row<{ status: string }>("SELECT status FROM orders WHERE id = $1", [orderId])).status,
      "pending_payment",
    );
  },
);

Deno.test("a success after a failure of the same payment pays the order", opts, async () => {
  const client = await buyer();
  const orderId = await unpaidOrder(client);
  const payment = await startPayment(client, orderId);
  assert.equal(await notify(payment, "failed"), "failed");
  assert.equal(await notify(payment, "succeeded"), "paid");
  assert.equal((await row<{ status: string }>("SELECT status FROM orders WHERE id = $1", [orderId])).status, "paid");
  assert.equal(
    (await row<{ status: string }>("SELECT status FROM payments WHERE id = $1", [payment.id])).status,
    "succeeded",
  );
  // A failure that arrives after the money was captured changes nothing.
  assert.equal(await notify(payment, "failed"), "duplicate");
  assert.equal(
    (await row<{ status: string }>("SELECT status FROM payments WHERE id = $1", [payment.id])).status,
    "succeeded",
  );
});

Deno.test(
  "two successes for two payments of one order: the first pays, the second is refunded and audited",
  opts,
  async () => {
    const client = await buyer();
    const orderId = await unpaidOrder(client);
    const first = await startPayment(client, orderId);
    assert.equal(await notify(first, "failed"), "failed");
    const second = await startPayment(client, orderId);
    assert.notEqual(second.id, first.id);
    // The failed first payment was captured after all, and the second succeeds too.
    assert.equal(await notify(first, "succeeded"), "paid");
    assert.equal(await notify(second, "succeeded"), "refunded_late");
    const refund = await row<{ amount: string; reason: string }>(
      "SELECT amount::text, reason FROM provider_refunds WHERE payment_id = $1",
      [second.id],
    );
    assert.deepEqual(refund, { amount: second.amount, reason: "late payment: order paid" });
    const audit = await row<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment.refund_late' AND target = $1",
      [`order:${orderId}`],
    );
    assert.equal(audit.n, 1);
    // The managers' order page shows it on the timeline.
    const view = await admin.json<{ order: { timeline: { note: string | null }[] } }>("GET", `/api/orders/${orderId}`);
    assert.ok(view.body.order.timeline.some((t) => /refunded automatically|自动原路退回/.test(t.note ?? "")));
    assert.equal(await notify(second, "succeeded"), "duplicate", "the refunded payment is not refunded twice");
  },
);

Deno.test("a success after the order expired is refunded, and the stock stays released", opts, async () => {
  const client = await buyer();
  const orderId = await unpaidOrder(client);
  const payment = await startPayment(client, orderId);
  await app.db.query("UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [orderId]);
  assert.ok(await expireDueOrders(app.shop) >= 1);
  assert.equal(await notify(payment, "succeeded"), "refunded_late");
  assert.equal(
    (await row<{ status: string }>("SELECT status FROM orders WHERE id = $1", [orderId])).status,
    "cancelled",
  );
  const outcomes = await app.db.query<{ outcome: string }>(
    "SELECT outcome FROM payment_events WHERE payment_id = $1",
    [payment.id],
  );
  assert.deepEqual(outcomes.map((o) => o.outcome), ["refunded_late"]);
});
