/**
 * Concurrency of the shop: many simultaneous orders for the last units, retried orders with one
 * Idempotency-Key, replayed and forged webhooks, and races between cancel, payment and refund
 * approval. With `DATABASE_URL` set this runs against PostgreSQL through a pool of 20 connections,
 * so the requests really overlap in the database.
 */
import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";
import { startSession } from "../services/accounts.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import type { OrderView } from "../services/orders.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const address = { name: "李四", phone: "13900005678", line1: "中山路 8 号", city: "杭州" };

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type OrderRes = { order?: OrderView } & Partial<ApiError>;
type Payment = { id: string; status: string; amount: string };
type Member = { id: string; client: TestClient };

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 10);
}

const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

/** Creates members directly in the database (registration hashes passwords slowly) and signs each in. */
async function members(n: number): Promise<Member[]> {
  const tag = uid();
  const rows = await app.db.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, referral_code)
     SELECT 'c' || g || '-' || $1 || '@example.com', '并发' || g, 'not-a-password-hash', upper($1) || 'N' || g
       FROM generate_series(1, $2::int) g
     RETURNING id`,
    [tag, n],
  );
  return await Promise.all(rows.map(async (r) => {
    const session = await startSession(app.db, String(r.id));
    const client = app.client();
    client.cookies.set("sid", session.token);
    return { id: String(r.id), client };
  }));
}

async function createProduct(stock: number, price = "100.00", lowStockThreshold = 0): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name: `抢购 ${uid()}`, category: "beauty", price, costPrice: "10.00", stock, lowStockThreshold },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function productRow(id: string) {
  const [row] = await app.db.query<{ stock: number; reserved: number; sales_count: number }>(
    "SELECT stock, reserved, sales_count FROM products WHERE id = $1",
    [id],
  );
  return { stock: row.stock, reserved: row.reserved, sold: row.sales_count };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await app.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
  return row.n;
}

function postOrder(c: TestClient, productId: string, quantity: number, key = uid()) {
  return c.json<OrderRes>("POST", "/api/orders", {
    json: { items: [{ productId, quantity }], address },
    headers: { "idempotency-key": key },
  });
}

async function placed(c: TestClient, productId: string, quantity: number): Promise<OrderView> {
  const res = await postOrder(c, productId, quantity);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.order!;
}

async function pay(c: TestClient, orderId: string): Promise<Payment> {
  const res = await c.json<{ payment: Payment }>("POST", `/api/orders/${orderId}/pay`, { json: { method: "sandbox" } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.payment;
}

async function sendWebhook(raw: string, signature: string) {
  return await app.client().json<{ outcome?: string } & Partial<ApiError>>("POST", "/api/payments/webhook/sandbox", {
    body: raw,
    headers: { "content-type": "application/json", "x-sandbox-signature": signature },
  });
}

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

Deno.test("200 members order the last 10 units at once: exactly 10 succeed, 190 are out_of_stock", opts, async () => {
  const productId = await createProduct(10, "100.00", 2);
  const buyers = await members(200);
  const results = await Promise.all(buyers.map((b) => postOrder(b.client, productId, 1)));

  assert.deepEqual(tally(results.map((r) => r.status)), { 201: 10, 409: 190 });
  for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body.error?.code, "out_of_stock");
  const winners = results.flatMap((r, i) => (r.status === 201 ? [{ buyer: buyers[i], order: r.body.order! }] : []));
  assert.equal(new Set(winners.map((w) => w.order.id)).size, 10);
  for (const w of winners) assert.equal(w.order.status, "pending_payment");

  const row = await productRow(productId);
  assert.deepEqual(row, { stock: 10, reserved: 10, sold: 0 });
  assert.equal(row.stock - row.reserved, 0, "sellable stock ends at exactly zero");
  assert.equal(await count("SELECT count(*) FROM order_items WHERE product_id = $1", [productId]), 10);
  assert.equal(
    await count("SELECT count(*) FROM orders WHERE user_id = ANY(string_to_array($1, ',')::bigint[])", [
      buyers.map((b) => b.id).join(","),
    ]),
    10,
  );
  assert.equal(
    await count("SELECT coalesce(sum(reserved_delta), 0) FROM stock_movements WHERE product_id = $1", [productId]),
    10,
  );
  assert.equal(
    await count("SELECT count(*) FROM events WHERE type = 'stock_low' AND data->>'productId' = $1", [productId]),
    1,
    "the alert fires once, when sellable stock crosses the threshold",
  );

  // The 10 winners pay at the same time: everything is sold exactly once.
  await Promise.all(winners.map(async (w) => {
    const payment = await pay(w.buyer.client, w.order.id);
    const raw = JSON.stringify({
      eventId: `evt_${uid()}`,
      paymentId: payment.id,
      amount: payment.amount,
      status: "succeeded",
    });
    const res = await sendWebhook(raw, await sandbox.sign(raw));
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }));
  assert.deepEqual(await productRow(productId), { stock: 0, reserved: 0, sold: 10 });
  // Nothing is left for anyone else.
  const late = await postOrder(buyers[0].client, productId, 1);
  assert.equal(late.status, 409);
  assert.equal(late.body.error?.code, "out_of_stock");
});

/** A 409 that says the first request with this Idempotency-Key is still running. */
function inFlight(r: { status: number; body: { error?: { code?: string; fields?: Record<string, string> } } }) {
  return r.status === 409 && r.body.error?.code === "conflict" && !!r.body.error.fields?.["Idempotency-Key"];
}

Deno.test("one Idempotency-Key sent 20 times at once creates exactly one order", opts, async () => {
  const productId = await createProduct(100, "30.00");
  const [buyer] = await members(1);
  const key = `retry-${uid()}`;
  const results = await Promise.all(Array.from({ length: 20 }, () => postOrder(buyer.client, productId, 2, key)));

  // Like Stripe: the first order to every request after it, 409 to those that came while it was running.
  for (const r of results) {
    assert.ok(r.status === 201 || inFlight(r), `${r.status} ${JSON.stringify(r.body)}`);
  }
  const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.order?.id));
  assert.equal(ids.size, 1, `every success carries the same order: ${[...ids].join(", ")}`);
  const again = await postOrder(buyer.client, productId, 2, key);
  assert.equal(again.status, 201);
  assert.deepEqual(new Set([...ids, again.body.order?.id]).size, 1, "a later retry returns the first order");
  assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), 1);
  assert.equal(
    await count("SELECT count(*) FROM orders WHERE user_id = $1 AND idempotency_key = $2", [buyer.id, key]),
    1,
  );
  assert.deepEqual(await productRow(productId), { stock: 100, reserved: 2, sold: 0 });
  for (const r of results.filter((r) => r.status === 201)) assert.equal(r.body.order?.total, "70.00");
});

Deno.test(
  "one Idempotency-Key sent 20 times at once for the last units still returns the one order to all",
  opts,
  async () => {
    const productId = await createProduct(1, "30.00");
    const [buyer] = await members(1);
    const key = `last-${uid()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => postOrder(buyer.client, productId, 1, key)));

    assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), 1);
    assert.deepEqual(await productRow(productId), { stock: 1, reserved: 1, sold: 0 });
    const [orderRow] = await app.db.query<{ id: string }>("SELECT id FROM orders WHERE user_id = $1", [buyer.id]);
    // The contract: the same key again returns the first order — not out_of_stock because that order took the
    // stock; a request that came while the first was still running is told so (409), never out_of_stock.
    for (const r of results) {
      assert.ok(r.status === 201 || inFlight(r), `${r.status} ${JSON.stringify(r.body)}`);
      if (r.status === 201) assert.equal(r.body.order?.id, String(orderRow.id));
    }
    const again = await postOrder(buyer.client, productId, 1, key);
    assert.equal(again.status, 201);
    assert.equal(again.body.order?.id, String(orderRow.id));
  },
);

Deno.test(
  "one member spends the same points in 20 simultaneous orders: one gets them, the rest 400",
  opts,
  async () => {
    // Different products, so the orders do not queue behind one product row.
    const productIds = await Promise.all(Array.from({ length: 20 }, () => createProduct(100, "100.00")));
    const [buyer] = await members(1);
    await app.db.query("UPDATE users SET points_balance = 1000 WHERE id = $1", [buyer.id]);
    await app.db.query("INSERT INTO points_ledger (user_id, delta, reason) VALUES ($1, 1000, 'earn')", [buyer.id]);
    const results = await Promise.all(
      productIds.map((productId) =>
        buyer.client.json<OrderRes>("POST", "/api/orders", {
          json: { items: [{ productId, quantity: 1 }], address, pointsToUse: 1000 },
          headers: { "idempotency-key": uid() },
        })
      ),
    );
    const [row] = await app.db.query<{ points_balance: number }>("SELECT points_balance FROM users WHERE id = $1", [
      buyer.id,
    ]);
    assert.equal(row.points_balance, 0);
    assert.deepEqual(
      tally(results.map((r) => r.status)),
      { 201: 1, 400: 19 },
      `bodies: ${JSON.stringify(results.filter((r) => r.status !== 201 && r.status !== 400).map((r) => r.body)[0])}`,
    );
    for (const r of results.filter((r) => r.status === 400)) {
      assert.equal(typeof r.body.error?.fields?.pointsToUse, "string", JSON.stringify(r.body));
    }
    assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), 1);
    const reserved = await count(
      "SELECT sum(reserved) FROM products WHERE id = ANY(string_to_array($1, ',')::bigint[])",
      [
        productIds.join(","),
      ],
    );
    assert.equal(reserved, 1, "the refused orders reserved nothing");
  },
);

Deno.test("a once-per-member coupon used in 20 simultaneous orders is redeemed once", opts, async () => {
  const productIds = await Promise.all(Array.from({ length: 20 }, () => createProduct(100, "120.00")));
  const code = `ONCE${uid()}`;
  const created = await admin.json("POST", "/api/admin/coupons", {
    json: { code, kind: "amount_off", value: "20.00", minSubtotal: "100.00", perMemberLimit: 1 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const [buyer] = await members(1);
  const results = await Promise.all(
    productIds.map((productId) =>
      buyer.client.json<OrderRes>("POST", "/api/orders", {
        json: { items: [{ productId, quantity: 1 }], address, couponCode: code },
        headers: { "idempotency-key": uid() },
      })
    ),
  );
  const redemptions = await count(
    "SELECT count(*) FROM coupon_redemptions r JOIN coupons c ON c.id = r.coupon_id WHERE c.code = $1 AND r.user_id = $2",
    [code, buyer.id],
  );
  assert.equal(redemptions, 1, "a once-per-member coupon is redeemed once");
  assert.deepEqual(tally(results.map((r) => r.status)), { 201: 1, 400: 19 });
  for (const r of results.filter((r) => r.status === 400)) {
    assert.match(r.body.error?.fields?.couponCode ?? "", /already used/i);
  }
});

Deno.test("a forged webhook sent 20 times changes nothing; the signed one sent 20 times pays once", opts, async () => {
  const productId = await createProduct(10, "45.00");
  const [buyer] = await members(1);
  const order = await placed(buyer.client, productId, 3);
  assert.equal(order.total, "135.00");
  const payment = await pay(buyer.client, order.id);
  const raw = JSON.stringify({ eventId: `evt_${uid()}`, paymentId: payment.id, amount: "135.00", status: "succeeded" });

  const state = async () => ({
    product: await productRow(productId),
    paid: await count("SELECT count(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'paid'", [order.id]),
    events: await count("SELECT count(*) FROM payment_events WHERE payment_id = $1", [payment.id]),
    sells: await count("SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'sell'", [order.id]),
    payment: (await app.db.query<{ status: string }>("SELECT status FROM payments WHERE id = $1", [payment.id]))[0]
      .status,
    order: (await app.db.query<{ status: string }>("SELECT status FROM orders WHERE id = $1", [order.id]))[0].status,
    spent: (await app.db.query<{ total_spent: string }>("SELECT total_spent FROM users WHERE id = $1", [buyer.id]))[0]
      .total_spent,
  });
  const before = await state();
  assert.deepEqual(before, {
    product: { stock: 10, reserved: 3, sold: 0 },
    paid: 0,
    events: 0,
    sells: 0,
    payment: "pending",
    order: "pending_payment",
    spent: "0.00",
  });

  const forger = new SandboxProvider("guessed-secret");
  const forged = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    const signature = i % 2 ? await forger.sign(raw) : `sha256=${"ab".repeat(32)}`;
    return await sendWebhook(raw, signature);
  }));
  assert.deepEqual(tally(forged.map((r) => r.status)), { 401: 20 });
  for (const r of forged) assert.equal(r.body.error?.code, "unauthenticated");
  assert.deepEqual(await state(), before);

  const signature = await sandbox.sign(raw);
  const results = await Promise.all(Array.from({ length: 20 }, () => sendWebhook(raw, signature)));
  assert.deepEqual(tally(results.map((r) => r.status)), { 200: 20 });
  const outcomes = results.map((r) => r.body.outcome ?? "").sort();
  assert.deepEqual(outcomes, ["paid", ...Array(19).fill("duplicate")].sort());
  assert.deepEqual(await state(), {
    product: { stock: 7, reserved: 0, sold: 3 },
    paid: 1,
    events: 1,
    sells: 1,
    payment: "succeeded",
    order: "paid",
    spent: "135.00",
  });
});

Deno.test("20 simultaneous cancels of one order release its stock once", opts, async () => {
  const productId = await createProduct(10, "20.00");
  const [buyer] = await members(1);
  const order = await placed(buyer.client, productId, 4);
  const results = await Promise.all(
    Array.from({ length: 20 }, () => buyer.client.json<OrderRes>("POST", `/api/orders/${order.id}/cancel`)),
  );
  assert.deepEqual(tally(results.map((r) => r.status)), { 200: 1, 409: 19 });
  for (const r of results.filter((r) => r.status === 409)) assert.equal(r.body.error?.code, "invalid_transition");
  assert.deepEqual(await productRow(productId), { stock: 10, reserved: 0, sold: 0 });
  assert.equal(
    await count("SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'release'", [order.id]),
    1,
  );
  assert.equal(
    await count("SELECT count(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'cancelled'", [order.id]),
    1,
  );
});

Deno.test(
  "cancel racing the payment webhook: each order ends either paid or cancelled-and-refunded",
  opts,
  async () => {
    const productId = await createProduct(50, "25.00");
    const buyers = await members(10);
    const orders = await Promise.all(buyers.map(async (b) => {
      const order = await placed(b.client, productId, 2);
      return { buyer: b, order, payment: await pay(b.client, order.id) };
    }));
    await Promise.all(orders.map(async ({ buyer, order, payment }) => {
      const raw = JSON.stringify({
        eventId: `evt_${uid()}`,
        paymentId: payment.id,
        amount: payment.amount,
        status: "succeeded",
      });
      const signature = await sandbox.sign(raw);
      const [cancel, hook] = await Promise.all([
        buyer.client.json<OrderRes>("POST", `/api/orders/${order.id}/cancel`),
        sendWebhook(raw, signature),
      ]);
      assert.equal(hook.status, 200, JSON.stringify(hook.body));
      assert.ok(cancel.status === 200 || cancel.status === 409, JSON.stringify(cancel.body));
    }));

    let paid = 0;
    for (const { order, payment } of orders) {
      const [row] = await app.db.query<{ status: string }>("SELECT status FROM orders WHERE id = $1", [order.id]);
      const [pay] = await app.db.query<{ status: string }>("SELECT status FROM payments WHERE id = $1", [payment.id]);
      const sells = await count("SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'sell'", [
        order.id,
      ]);
      const releases = await count("SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'release'", [
        order.id,
      ]);
      const refunds = await count("SELECT count(*) FROM provider_refunds WHERE payment_id = $1", [payment.id]);
      if (row.status === "paid") {
        paid++;
        assert.deepEqual({ pay: pay.status, sells, releases, refunds }, {
          pay: "succeeded",
          sells: 1,
          releases: 0,
          refunds: 0,
        });
      } else {
        assert.equal(row.status, "cancelled");
        assert.deepEqual({ pay: pay.status, sells, releases, refunds }, {
          pay: "refunded",
          sells: 0,
          releases: 1,
          refunds: 1,
        });
      }
    }
    assert.deepEqual(await productRow(productId), { stock: 50 - 2 * paid, reserved: 0, sold: 2 * paid });
  },
);

Deno.test("20 simultaneous approvals of one refund: one succeeds, the money and stock go back once", opts, async () => {
  const productId = await createProduct(10, "60.00");
  const [buyer] = await members(1);
  const order = await placed(buyer.client, productId, 2);
  const payment = await pay(buyer.client, order.id);
  const raw = JSON.stringify({
    eventId: `evt_${uid()}`,
    paymentId: payment.id,
    amount: payment.amount,
    status: "succeeded",
  });
  assert.equal((await sendWebhook(raw, await sandbox.sign(raw))).status, 200);
  const requested = await buyer.client.json<{ refund: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${order.id}/refunds`,
    { json: { items: [{ orderItemId: order.items[0].id, quantity: 1 }], reason: "多买了一件" } },
  );
  assert.equal(requested.status, 201, JSON.stringify(requested.body));
  assert.equal(requested.body.refund.amount, "60.00");

  const results = await Promise.all(
    Array.from(
      { length: 20 },
      () => admin.json<Partial<ApiError>>("POST", `/api/admin/refunds/${requested.body.refund.id}/approve`),
    ),
  );
  assert.deepEqual(tally(results.map((r) => r.status)), { 200: 1, 409: 19 });
  assert.equal(await count("SELECT count(*) FROM provider_refunds WHERE payment_id = $1", [payment.id]), 1);
  assert.deepEqual(await productRow(productId), { stock: 9, reserved: 0, sold: 2 });
  const [row] = await app.db.query<{ status: string }>("SELECT status FROM orders WHERE id = $1", [order.id]);
  assert.equal(row.status, "partially_refunded");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
