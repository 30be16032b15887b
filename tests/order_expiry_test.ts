/**
 * Unpaid orders expire after the payment timeout and give back their stock, points and coupon —
 * done by the real scheduler of a real server, also when the server was stopped while the order
 * fell due and started again afterwards.
 */
import assert from "node:assert/strict";
import { openTestDb, TestClient, testSettings } from "./helpers.ts";
import { type RunningServer, startServer } from "../main.ts";
import { createLogger } from "../lib/log.ts";
import type { OrderView } from "../services/orders.ts";

const testDb = await openTestDb();
const db = testDb.db;
const opts = { sanitizeOps: false, sanitizeResources: false };
const address = { name: "王五", phone: "13700009999", line1: "解放路 5 号", city: "南京" };

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 10);
}

async function start(): Promise<RunningServer> {
  return await startServer(testSettings(), { db, log: createLogger("silent") });
}

/** A browser-like client for a server, optionally carrying the cookies of an earlier client. */
function clientFor(server: RunningServer, from?: TestClient): TestClient {
  const client = new TestClient((req) => fetch(req), server.url);
  if (from) { for (const [k, v] of from.cookies) client.cookies.set(k, v); }
  return client;
}

async function row<T>(sql: string, params: unknown[] = []): Promise<T> {
  const [r] = await db.query<T>(sql, params);
  return r;
}

async function state(orderId: string, productId: string, userId: string) {
  const order = await row<{ status: string }>("SELECT status FROM orders WHERE id = $1", [orderId]);
  const product = await row<{ stock: number; reserved: number }>("SELECT stock, reserved FROM products WHERE id = $1", [
    productId,
  ]);
  const user = await row<{ points_balance: number }>("SELECT points_balance FROM users WHERE id = $1", [userId]);
  const coupon = await row<{ released: boolean } | undefined>(
    "SELECT released FROM coupon_redemptions WHERE order_id = $1",
    [orderId],
  );
  return {
    status: order.status,
    stock: product.stock,
    reserved: product.reserved,
    points: user.points_balance,
    couponReleased: coupon?.released ?? null,
  };
}

/** Polls until the order is no longer pending (the scheduler sweeps at start and every 5 s). */
async function waitUntilSettled(orderId: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await row<{ status: string }>("SELECT status FROM orders WHERE id = $1", [orderId]);
    if (status !== "pending_payment" || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sets up a product, a once-per-member coupon and a member with 2000 points, and places an order using both. */
async function scenario(server: RunningServer) {
  const admin = clientFor(server);
  assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
  const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name: `限时面霜 ${uid()}`,
      category: "beauty",
      price: "150.00",
      costPrice: "50.00",
      stock: 5,
      lowStockThreshold: 1,
    },
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  const productId = product.body.product.id;
  const code = `EXP${uid()}`;
  const coupon = await admin.json("POST", "/api/admin/coupons", {
    json: { code, kind: "amount_off", value: "20.00", minSubtotal: "100.00", perMemberLimit: 1 },
  });
  assert.equal(coupon.status, 201, JSON.stringify(coupon.body));

  const buyer = clientFor(server);
  const user = await buyer.register(`exp-${uid()}@example.com`, "过期买家");
  await db.query("UPDATE users SET points_balance = 2000 WHERE id = $1", [user.id]);
  await db.query("INSERT INTO points_ledger (user_id, delta, reason) VALUES ($1, 2000, 'earn')", [user.id]);

  const created = await buyer.json<{ order: OrderView }>("POST", "/api/orders", {
    json: { items: [{ productId, quantity: 2 }], address, couponCode: code, pointsToUse: 1000 },
    headers: { "idempotency-key": uid() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const order = created.body.order;
  assert.equal(order.subtotal, "300.00");
  assert.equal(order.discount, "20.00");
  assert.equal(order.pointsDiscount, "10.00");
  assert.equal(order.shipping, "0.00");
  assert.equal(order.total, "270.00");
  const minutes = (Date.parse(order.expiresAt) - Date.parse(order.createdAt)) / 60_000;
  assert.ok(Math.abs(minutes - 30) < 0.1, `payment timeout is 30 minutes, got ${minutes}`);
  assert.deepEqual(await state(order.id, productId, user.id), {
    status: "pending_payment",
    stock: 5,
    reserved: 2,
    points: 1000,
    couponReleased: false,
  });
  return { buyer, userId: user.id, productId, code, order };
}

async function assertExpired(
  server: RunningServer,
  s: { buyer: TestClient; userId: string; productId: string; code: string; order: OrderView },
  otherReserved = 0,
) {
  assert.equal(await waitUntilSettled(s.order.id), "cancelled", "the order expired within 10 s");
  assert.deepEqual(await state(s.order.id, s.productId, s.userId), {
    status: "cancelled",
    stock: 5,
    reserved: otherReserved,
    points: 2000,
    couponReleased: true,
  });
  const buyer = clientFor(server, s.buyer);
  const view = await buyer.json<{ order: OrderView }>("GET", `/api/orders/${s.order.id}`);
  assert.equal(view.status, 200);
  assert.equal(view.body.order.status, "cancelled");
  assert.deepEqual(view.body.order.timeline.map((t) => [t.status, t.actor]), [
    ["pending_payment", "buyer"],
    ["cancelled", "system"],
  ]);
  const product = await buyer.json<{ product: { stock: number } }>("GET", `/api/products/${s.productId}`);
  assert.equal(product.body.product.stock, 5 - otherReserved, "the stock is sellable again");
  const ledger = await db.query<{ delta: number; reason: string }>(
    "SELECT delta, reason FROM points_ledger WHERE order_id = $1 ORDER BY id",
    [s.order.id],
  );
  assert.deepEqual(ledger.map((l) => [l.delta, l.reason]), [[-1000, "spend"], [1000, "spend_return"]]);
  const release = await db.query<{ reserved_delta: number; actor_id: string | null }>(
    "SELECT reserved_delta, actor_id FROM stock_movements WHERE order_id = $1 AND reason = 'release'",
    [s.order.id],
  );
  assert.deepEqual(release.map((r) => [r.reserved_delta, r.actor_id]), [[-2, null]]);
  // An expired order cannot be paid; the released coupon can be used again.
  const pay = await buyer.json<{ error: { code: string } }>("POST", `/api/orders/${s.order.id}/pay`, {
    json: { method: "sandbox" },
  });
  assert.equal(pay.status, 409);
  assert.equal(pay.body.error.code, "invalid_transition");
  const again = await buyer.json<{ order: OrderView }>("POST", "/api/orders", {
    json: { items: [{ productId: s.productId, quantity: 1 }], address, couponCode: s.code },
    headers: { "idempotency-key": uid() },
  });
  assert.equal(again.status, 201, JSON.stringify(again.body));
  assert.equal(again.body.order.discount, "20.00");
  assert.equal(again.body.order.total, "130.00");
}

Deno.test(
  "an unpaid order past its payment deadline is cancelled by the scheduler; nothing else is",
  opts,
  async () => {
    const server = await start();
    try {
      const s = await scenario(server);
      // A second unpaid order that is not due yet.
      const other = await clientFor(server, s.buyer).json<{ order: OrderView }>("POST", "/api/orders", {
        json: { items: [{ productId: s.productId, quantity: 1 }], address },
        headers: { "idempotency-key": uid() },
      });
      assert.equal(other.status, 201);
      await db.query("UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [s.order.id]);
      await assertExpired(server, s, 1);
      const { status } = await row<{ status: string }>("SELECT status FROM orders WHERE id = $1", [
        other.body.order.id,
      ]);
      assert.equal(status, "pending_payment", "an order within its 30 minutes stays unpaid");
    } finally {
      await server.close();
    }
  },
);

Deno.test("an order that fell due while the server was stopped expires when it starts again", opts, async () => {
  const first = await start();
  let s: Awaited<ReturnType<typeof scenario>>;
  try {
    s = await scenario(first);
  } finally {
    await first.close();
  }
  await db.query("UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [s.order.id]);
  // Nothing runs while the server is down.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await state(s.order.id, s.productId, s.userId)).status, "pending_payment");

  const second = await start();
  try {
    assert.notEqual(second.url, "");
    await assertExpired(second, s);
  } finally {
    await second.close();
  }
});

Deno.test("teardown", opts, async () => {
  await testDb.close();
});
