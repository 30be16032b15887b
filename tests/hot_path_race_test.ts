/**
 * The hot path under mixed load on the SAME rows: orders, payments (with duplicate and late
 * notifications), cancels, expiry sweeps, refunds with claw-back, commission releases and
 * withdrawals, all at once on one product and one distributor chain. Afterwards the books must
 * hold: every ledger transaction sums to zero, member balances equal their entries, stock is never
 * negative and reserved equals the units of unpaid orders, one commission line per order line and
 * tier, one event per order transition, and no response was a 5xx.
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, installPlanForTest, TEST_ADDRESS, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { expireDueOrders } from "../services/orders.ts";
import { releaseDueCommissions } from "../services/distribution.ts";
import { Scheduler } from "../services/scheduler.ts";
import { createLogger } from "../lib/log.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const scheduler = new Scheduler(app.shop, createLogger("silent"));
const statuses: number[] = [];

interface Member {
  client: TestClient;
  id: string;
  code: string;
}

async function member(name: string, upline?: Member): Promise<Member> {
  const client = app.client();
  const user = await client.register(
    `m-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name,
    upline ? { referralCode: upline.code } : {},
  );
  return { client, id: user.id, code: user.referralCode };
}

async function call<T = Record<string, unknown>>(
  client: TestClient,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
) {
  const res = await client.json<T & { error?: { code: string } }>(method, path, options);
  statuses.push(res.status);
  if (res.status >= 500) console.error(method, path, res.status, JSON.stringify(res.body));
  return res;
}

async function webhook(
  paymentId: string,
  amount: string,
  status: "succeeded" | "failed",
  eventId = crypto.randomUUID(),
) {
  const body = JSON.stringify({ eventId, paymentId, amount, status });
  return await call<{ outcome: string }>(app.client(), "POST", "/api/payments/webhook/sandbox", {
    body,
    headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) },
  });
}

async function order(buyer: Member, productId: string, quantity = 1) {
  const res = await call<{ order: { id: string; total: string; items: { id: string }[] } }>(
    buyer.client,
    "POST",
    "/api/orders",
    {
      json: { items: [{ productId, quantity }], address: TEST_ADDRESS },
      headers: { "idempotency-key": crypto.randomUUID() },
    },
  );
  return res.status === 201 ? res.body.order : null;
}

async function pay(buyer: Member, orderId: string) {
  const res = await call<{ payment: { id: string; amount: string } }>(
    buyer.client,
    "POST",
    `/api/orders/${orderId}/pay`,
    {
      json: { method: "sandbox" },
    },
  );
  return res.status === 200 ? res.body.payment : null;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await app.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
  return row.n;
}

/** The invariants every concurrent run must leave behind. */
async function assertBooks(productId: string, initialStock: number) {
  assert.equal(
    await count(
      "SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0) x",
    ),
    0,
    "every ledger transaction sums to zero",
  );
  assert.equal(
    await count(`SELECT count(*) FROM ledger_accounts a WHERE a.owner_id IS NOT NULL AND a.balance <>
                   coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.account_id = a.id), 0)`),
    0,
    "every member account's balance equals its entries",
  );
  const [stock] = await app.db.query<{ stock: number; reserved: number }>(
    "SELECT stock, reserved FROM products WHERE id = $1",
    [productId],
  );
  assert.ok(stock.stock >= 0 && stock.reserved >= 0 && stock.stock >= stock.reserved, JSON.stringify(stock));
  assert.equal(
    stock.reserved,
    await count(
      `SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE i.product_id = $1 AND o.status = 'pending_payment'`,
      [productId],
    ),
    "reserved equals the units of unpaid orders",
  );
  assert.equal(
    stock.stock,
    initialStock + await count(
      "SELECT coalesce(sum(on_hand_delta), 0) FROM stock_movements WHERE product_id = $1 AND reason <> 'adjust'",
      [productId],
    ),
    "on-hand stock is the initial stock plus its movements",
  );
  assert.equal(
    await count(
      `SELECT count(*) FROM (SELECT order_item_id, tier FROM commission_lines GROUP BY 1, 2 HAVING count(*) > 1) x`,
    ),
    0,
    "one commission line per order line and tier",
  );
  assert.equal(
    await count(
      `SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.paid_at IS NOT NULL
          AND (SELECT count(*) FROM commission_lines l WHERE l.order_item_id = i.id) <> 3`,
    ),
    0,
    "every paid line pays its three tiers",
  );
  assert.equal(
    await count(
      `SELECT count(*) FROM orders o WHERE
         (SELECT count(*) FROM order_transitions t WHERE t.order_id = o.id) <>
         (SELECT count(*) FROM events e WHERE e.type = 'order_status' AND e.data->>'orderId' = o.id::text)`,
    ),
    0,
    "one order_status event per transition",
  );
  assert.equal(
    await count("SELECT count(*) FROM orders WHERE paid_at IS NOT NULL AND status = 'cancelled'"),
    0,
    "no cancelled order was paid",
  );
  assert.deepEqual(statuses.filter((s) => s >= 500), [], "no 5xx");
}

// A chain root → A → B → C; buyers under C, so every sale pays C, B and A.
const root = await member("Root");
const a = await member("A", root);
const b = await member("B", a);
const c = await member("C", b);
const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => member(`买家${i}`, c)));
// Released at the buyer's receipt (a plan from before the hold rule), so withdrawals race claw-backs.
await installPlanForTest(app.db, { holdDays: 0, minWithdrawal: "1.00", withdrawalFee: "0.00" });

Deno.test(
  "orders, payments, cancels, expiry, refunds, releases and withdrawals on one product and one chain at once keep the books",
  opts,
  async () => {
    const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: {
        name: "热卖面霜",
        category: "beauty",
        price: "100.00",
        costPrice: "10.00",
        stock: 60,
        lowStockThreshold: 5,
      },
    });
    assert.equal(created.status, 201);
    const productId = created.body.product.id;

    // Some orders delivered and released before the storm, so refunds claw back from available.
    const delivered: { buyer: Member; id: string; itemId: string }[] = [];
    for (const buyer of buyers.slice(0, 4)) {
      const id = await buyAndPay(buyer.client, app.settings.paymentSandboxSecret, productId, 1);
      assert.equal(
        (await admin.json("POST", `/api/admin/orders/${id}/ship`, {
          json: { carrier: "SF", trackingNumber: `SF0000${id}` },
        })).status,
        200,
      );
      assert.equal((await buyer.client.json("POST", `/api/orders/${id}/confirm-receipt`)).status, 200);
      const view = await buyer.client.json<{ order: { items: { id: string }[] } }>("GET", `/api/orders/${id}`);
      delivered.push({ buyer, id, itemId: view.body.order.items[0].id });
    }
    await releaseDueCommissions(app.db, new Date());

    // Unpaid orders for the cancel and expiry races.
    const unpaid = [];
    for (const buyer of buyers.slice(4, 10)) {
      const o = (await order(buyer, productId, 2))!;
      unpaid.push({ buyer, order: o, payment: (await pay(buyer, o.id))! });
    }
    // Half of them run out of time: the expiry sweep races their payment notifications.
    await app.db.query(
      "UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = ANY(string_to_array($1, ',')::bigint[])",
      [unpaid.slice(0, 3).map((u) => u.order.id).join(",")],
    );

    const work: Promise<unknown>[] = [];
    // New buyers order and pay, some notifications twice, some failed first and then succeeded.
    for (const [i, buyer] of buyers.entries()) {
      work.push((async () => {
        const o = await order(buyer, productId, 1);
        if (!o) return;
        const p = await pay(buyer, o.id);
        if (!p) return;
        if (i % 3 === 0) await webhook(p.id, p.amount, "failed");
        const eventId = crypto.randomUUID();
        await Promise.all([
          webhook(p.id, p.amount, "succeeded", eventId),
          webhook(p.id, p.amount, "succeeded", eventId),
        ]);
      })());
    }
    // Cancel versus payment on the same order; expiry versus payment.
    for (const u of unpaid) {
      work.push(call(u.buyer.client, "POST", `/api/orders/${u.order.id}/cancel`));
      work.push(webhook(u.payment.id, u.payment.amount, "succeeded"));
    }
    work.push(expireDueOrders(app.shop), expireDueOrders(app.shop));
    // Refunds of delivered orders (claw-back from available) versus withdrawals of that money.
    for (const d of delivered) {
      work.push((async () => {
        const r = await call<{ refund: { id: string } }>(d.buyer.client, "POST", `/api/orders/${d.id}/refunds`, {
          json: { items: [{ orderItemId: d.itemId, quantity: 1 }], reason: "不合适", kind: "return_refund" },
        });
        if (r.status === 201) await call(admin, "POST", `/api/admin/refunds/${r.body.refund.id}/approve`);
      })());
    }
    for (const m of [a, b, c]) {
      work.push((async () => {
        const totals = await m.client.json<{ totals: { available: string } }>("GET", "/api/me/commissions");
        const w = await call<{ withdrawal: { id: string } }>(m.client, "POST", "/api/me/withdrawals", {
          json: { amount: totals.body.totals.available },
          headers: { "idempotency-key": crypto.randomUUID() },
        });
        if (w.status === 201) await call(admin, "POST", `/api/admin/withdrawals/${w.body.withdrawal.id}/approve`);
      })());
    }
    work.push(releaseDueCommissions(app.db, new Date()), scheduler.sweep());
    await Promise.all(work);

    await assertBooks(productId, 60);
    // No payment was ignored: each notification ended applied, duplicate or refunded.
    assert.equal(
      await count(
        "SELECT count(*) FROM payment_events WHERE outcome NOT IN ('paid', 'failed', 'duplicate', 'refunded_late')",
      ),
      0,
    );
    assert.equal(
      await count(
        `SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id
          WHERE p.status = 'succeeded' AND o.paid_at IS NULL`,
      ),
      0,
      "no captured payment is left on an unpaid order",
    );
    // A withdrawal is approved only while the member's available balance is not negative.
    for (const m of [a, b, c]) {
      const totals = (await m.client.json<{ totals: { available: string } }>("GET", "/api/me/commissions")).body.totals;
      const paid = await count("SELECT count(*) FROM withdrawals WHERE user_id = $1 AND status = 'paid'", [m.id]);
      const requested = await count("SELECT count(*) FROM withdrawals WHERE user_id = $1 AND status = 'requested'", [
        m.id,
      ]);
      if (Number(totals.available) < 0 && paid > 0) {
        // Possible only when the refund came after the payout; then nothing may be waiting for approval.
        assert.equal(requested, 0);
      }
    }
  },
);

Deno.test("a withdrawal racing a claw-back is never approved against a negative available balance", opts, async () => {
  // A chain of its own, so the first test's outcome does not matter here.
  const c = await member("C2", await member("B2", await member("A2")));
  const buyers = await Promise.all(Array.from({ length: 4 }, (_, i) => member(`顾客${i}`, c)));
  const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name: "对照商品",
      category: "beauty",
      price: "100.00",
      costPrice: "10.00",
      stock: 50,
      lowStockThreshold: 1,
    },
  });
  const productId = created.body.product.id;
  for (let round = 0; round < 4; round++) {
    const buyer = buyers[round];
    const id = await buyAndPay(buyer.client, app.settings.paymentSandboxSecret, productId, 1);
    await admin.json("POST", `/api/admin/orders/${id}/ship`, {
      json: { carrier: "SF", trackingNumber: `SF0000${id}` },
    });
    await buyer.client.json("POST", `/api/orders/${id}/confirm-receipt`);
    await releaseDueCommissions(app.db, new Date());
    const view = await buyer.client.json<{ order: { items: { id: string }[] } }>("GET", `/api/orders/${id}`);
    const before = (await c.client.json<{ totals: { available: string } }>("GET", "/api/me/commissions")).body.totals;
    assert.ok(Number(before.available) >= 10, JSON.stringify(before));
    const refund = await buyer.client.json<{ refund: { id: string } }>("POST", `/api/orders/${id}/refunds`, {
      json: {
        items: [{ orderItemId: view.body.order.items[0].id, quantity: 1 }],
        reason: "不要了",
        kind: "return_refund",
      },
    });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    // The request for everything available and the claw-back of the refund, at once.
    const [w] = await Promise.all([
      call<{ withdrawal: { id: string } }>(c.client, "POST", "/api/me/withdrawals", {
        json: { amount: before.available },
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
      call(admin, "POST", `/api/admin/refunds/${refund.body.refund.id}/approve`),
    ]);
    const after = (await c.client.json<{ totals: { available: string } }>("GET", "/api/me/commissions")).body.totals;
    if (w.status === 201) {
      // The request came first: the claw-back left available negative, and approval is refused.
      assert.ok(Number(after.available) < 0, JSON.stringify(after));
      const approve = await call(admin, "POST", `/api/admin/withdrawals/${w.body.withdrawal.id}/approve`);
      assert.equal(approve.status, 409, JSON.stringify(approve.body));
      const reject = await call(admin, "POST", `/api/admin/withdrawals/${w.body.withdrawal.id}/reject`, {
        json: { reason: "退款追回后余额为负" },
      });
      assert.equal(reject.status, 200, JSON.stringify(reject.body));
    } else {
      // The claw-back came first: the request is more than what is left.
      assert.equal(w.status, 422, JSON.stringify(w.body));
    }
    const final = (await c.client.json<{ totals: { available: string } }>("GET", "/api/me/commissions")).body.totals;
    assert.equal(
      await count("SELECT count(*) FROM withdrawals WHERE user_id = $1 AND status = 'paid'", [c.id]),
      0,
      "nothing was paid out of money that was clawed back",
    );
    assert.ok(Number(final.available) >= 0, `available ${final.available} after round ${round}`);
  }
  assert.deepEqual(statuses.filter((s) => s >= 500), [], "no 5xx");
});
