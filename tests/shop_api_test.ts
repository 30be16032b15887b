/**
 * Contract tests of the shop side: catalogue and orders, payments and the sandbox webhook,
 * cancel/receipt/refunds, and the manager's product, coupon, ship and refund routes — with exact
 * money strings and the database rows behind them.
 */
import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { expireDueOrders, type OrderView } from "../services/orders.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const address = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海", postcode: "200000" };

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type Res<T> = { status: number; body: T; headers: Headers };
type Product = {
  id: string;
  name: string;
  category: string;
  price: string;
  memberPrice: string;
  stock: number;
  onSale: boolean;
};
type AdminProduct = Product & { costPrice: string; lowStockThreshold: number; onHand: number; reserved: number };
type Payment = { id: string; status: string; amount: string };
type Refund = {
  id: string;
  orderId: string;
  status: "requested" | "approved" | "rejected";
  amount: string;
  itemsAmount: string;
  shippingRefund: string;
  items: { orderItemId: string; quantity: number; amount: string }[];
  decisionNote: string | null;
};
type Coupon = { id: string; code: string; kind: string; value: string };
type Member = { client: TestClient; id: string; email: string };

function assertError(res: Res<unknown>, status: number, code: string, fields: string[] = []): ApiError {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const body = res.body as ApiError;
  assert.equal(body.error.code, code, JSON.stringify(body));
  assert.equal(typeof body.error.message, "string");
  for (const f of fields) {
    assert.equal(typeof body.error.fields?.[f], "string", `fields.${f} missing in ${JSON.stringify(body)}`);
  }
  return body;
}

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 10);
}

// --- Fixture helpers --------------------------------------------------------------------------

const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
const adminId = (await admin.json<{ user: { id: string } }>("GET", "/api/me")).body.user.id;

async function member(name = "买家"): Promise<Member> {
  const client = app.client();
  const email = `m-${uid()}@example.com`;
  const user = await client.register(email, name);
  return { client, id: user.id, email };
}

async function createProduct(
  p: { price?: string; stock?: number; lowStockThreshold?: number; category?: string; name?: string } = {},
): Promise<string> {
  const res = await admin.json<{ product: AdminProduct }>("POST", "/api/admin/products", {
    json: {
      name: p.name ?? `测试商品 ${uid()}`,
      category: p.category ?? "beauty",
      price: p.price ?? "100.00",
      costPrice: "40.00",
      stock: p.stock ?? 100,
      lowStockThreshold: p.lowStockThreshold ?? 0,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function productRow(id: string) {
  const [row] = await app.db.query<{ stock: number; reserved: number; sales_count: number }>(
    "SELECT stock, reserved, sales_count FROM products WHERE id = $1",
    [id],
  );
  return { stock: row.stock, reserved: row.reserved, sellable: row.stock - row.reserved, sold: row.sales_count };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await app.db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
  return row.n;
}

async function points(userId: string): Promise<number> {
  const [row] = await app.db.query<{ points_balance: number }>("SELECT points_balance FROM users WHERE id = $1", [
    userId,
  ]);
  return row.points_balance;
}

async function givePoints(userId: string, amount: number): Promise<void> {
  await app.db.query("UPDATE users SET points_balance = points_balance + $2 WHERE id = $1", [userId, amount]);
  await app.db.query("INSERT INTO points_ledger (user_id, delta, reason) VALUES ($1, $2, 'earn')", [userId, amount]);
}

function order(
  c: TestClient,
  body: Record<string, unknown>,
  key: string | null = uid(),
): Promise<Res<{ order: OrderView } & Partial<ApiError>>> {
  return c.json("POST", "/api/orders", { json: body, headers: key === null ? {} : { "idempotency-key": key } });
}

async function placed(
  c: TestClient,
  items: { productId: string; quantity: number }[],
  extra: Record<string, unknown> = {},
): Promise<OrderView> {
  const res = await order(c, { items, address, ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.order;
}

async function pay(c: TestClient, orderId: string): Promise<Payment> {
  const res = await c.json<{ payment: Payment }>("POST", `/api/orders/${orderId}/pay`, { json: { method: "sandbox" } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.payment;
}

async function webhook(body: Record<string, unknown>, signature?: string): Promise<Res<{ outcome?: string }>> {
  const raw = JSON.stringify(body);
  return await app.client().json<{ outcome?: string }>("POST", "/api/payments/webhook/sandbox", {
    body: raw,
    headers: { "content-type": "application/json", "x-sandbox-signature": signature ?? await sandbox.sign(raw) },
  });
}

async function settle(payment: Payment): Promise<void> {
  const res = await webhook({
    eventId: `evt_${uid()}`,
    paymentId: payment.id,
    amount: payment.amount,
    status: "succeeded",
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.outcome, "paid");
}

/** Places, pays and settles an order; returns it as the buyer sees it afterwards. */
async function paidOrder(
  c: TestClient,
  items: { productId: string; quantity: number }[],
  extra: Record<string, unknown> = {},
): Promise<OrderView> {
  const o = await placed(c, items, extra);
  await settle(await pay(c, o.id));
  const after = await c.json<{ order: OrderView }>("GET", `/api/orders/${o.id}`);
  assert.equal(after.body.order.status, "paid");
  return after.body.order;
}

async function getOrder(c: TestClient, id: string): Promise<OrderView> {
  const res = await c.json<{ order: OrderView }>("GET", `/api/orders/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.order;
}

async function coupon(body: Record<string, unknown>): Promise<Coupon> {
  const res = await admin.json<{ coupon: Coupon }>("POST", "/api/admin/coupons", { json: body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.coupon;
}

async function requestRefund(c: TestClient, orderId: string, items: { orderItemId: string; quantity: number }[]) {
  return await c.json<{ refund: Refund }>("POST", `/api/orders/${orderId}/refunds`, {
    json: { items, reason: "不想要了" },
  });
}

async function approve(refundId: string): Promise<Res<{ refund: Refund }>> {
  return await admin.json<{ refund: Refund }>("POST", `/api/admin/refunds/${refundId}/approve`);
}

// --- Catalogue ---------------------------------------------------------------------------------

Deno.test("GET /api/products and /api/products/:id: list shape, search, sellable stock, 404s", opts, async () => {
  const name = `目录面霜 ${uid()}`;
  const id = await createProduct({ name, price: "129.00", stock: 7, category: "care" });
  const list = await app.client().json<{ items: Product[]; total: number }>(
    "GET",
    `/api/products?q=${encodeURIComponent(name)}&category=care&page=1`,
  );
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.deepEqual(
    {
      id: list.body.items[0].id,
      name: list.body.items[0].name,
      category: list.body.items[0].category,
      price: list.body.items[0].price,
      memberPrice: list.body.items[0].memberPrice,
      stock: list.body.items[0].stock,
      onSale: list.body.items[0].onSale,
    },
    { id, name, category: "care", price: "129.00", memberPrice: "129.00", stock: 7, onSale: true },
  );
  const buyer = await member();
  await placed(buyer.client, [{ productId: id, quantity: 3 }]);
  const one = await app.client().json<{ product: Product }>("GET", `/api/products/${id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.product.stock, 4, "stock is on hand minus reserved by unpaid orders");
  assertError(await app.client().json("GET", "/api/products/999999999"), 404, "not_found");

  const hidden = await createProduct();
  assert.equal(
    (await admin.json("PATCH", `/api/admin/products/${hidden}`, { json: { onSale: false } })).status,
    200,
  );
  assertError(await app.client().json("GET", `/api/products/${hidden}`), 404, "not_found");
  const off = await order(buyer.client, { items: [{ productId: hidden, quantity: 1 }], address });
  assertError(off, 400, "invalid_input", ["items"]);
});

Deno.test("gold member: memberPrice is 5 % off in the list and the order charges it", opts, async () => {
  const name = `金卡精华 ${uid()}`;
  const id = await createProduct({ name, price: "100.00" });
  const gold = await member("金卡会员");
  await app.db.query("UPDATE users SET level = 'gold' WHERE id = $1", [gold.id]);
  const list = await gold.client.json<{ items: Product[] }>("GET", `/api/products?q=${encodeURIComponent(name)}`);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].price, "100.00");
  assert.equal(list.body.items[0].memberPrice, "95.00");
  const anonymous = await app.client().json<{ items: Product[] }>("GET", `/api/products?q=${encodeURIComponent(name)}`);
  assert.equal(anonymous.body.items[0].memberPrice, "100.00");
  const ordinary = await member();
  const plain = await ordinary.client.json<{ product: Product }>("GET", `/api/products/${id}`);
  assert.equal(plain.body.product.memberPrice, "100.00");

  const o = await placed(gold.client, [{ productId: id, quantity: 1 }]);
  assert.equal(o.items[0].unitPrice, "95.00");
  assert.equal(o.items[0].lineTotal, "95.00");
  assert.equal(o.subtotal, "95.00");
  assert.equal(o.discount, "0.00");
  assert.equal(o.shipping, "10.00", "¥95 of goods is under the ¥99 free-shipping line");
  assert.equal(o.total, "105.00");
  const payment = await pay(gold.client, o.id);
  assert.equal(payment.amount, "105.00");
  await settle(payment);
  assert.equal((await getOrder(gold.client, o.id)).status, "paid");
});

// --- POST /api/orders ---------------------------------------------------------------------------

Deno.test("POST /api/orders: unauthenticated 401, cross-origin 403", opts, async () => {
  const id = await createProduct();
  const anon = app.client();
  assertError(await order(anon, { items: [{ productId: id, quantity: 1 }], address }), 401, "unauthenticated");
  for (const path of ["/api/orders/1", "/api/orders/1/pay", "/api/orders/1/cancel"]) {
    const method = path === "/api/orders/1" ? "GET" : "POST";
    assertError(await anon.json(method, path, { json: method === "GET" ? undefined : {} }), 401, "unauthenticated");
  }
  assertError(await anon.json("POST", "/api/orders/1/confirm-receipt"), 401, "unauthenticated");
  assertError(
    await anon.json("POST", "/api/orders/1/refunds", {
      json: { items: [{ orderItemId: "1", quantity: 1 }], reason: "x" },
    }),
    401,
    "unauthenticated",
  );
  const buyer = await member();
  const foreign = await buyer.client.json("POST", "/api/orders", {
    json: { items: [{ productId: id, quantity: 1 }], address },
    headers: { "idempotency-key": uid(), origin: "https://evil.example" },
  });
  assertError(foreign, 403, "forbidden");
  assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), 0);
  assert.equal((await productRow(id)).reserved, 0);
});

Deno.test("POST /api/orders: invalid input is 400 with fields and reserves nothing", opts, async () => {
  const id = await createProduct({ stock: 10 });
  const buyer = await member();
  const c = buyer.client;
  const good = { items: [{ productId: id, quantity: 1 }], address };

  const noKey = assertError(await order(c, good, null), 400, "invalid_input", ["Idempotency-Key"]);
  assert.match(noKey.error.fields!["Idempotency-Key"], /required/i);
  assertError(await order(c, good, "x".repeat(101)), 400, "invalid_input", ["Idempotency-Key"]);

  const badJson = await c.json("POST", "/api/orders", {
    body: '{"items": [',
    headers: { "content-type": "application/json", "idempotency-key": uid() },
  });
  assertError(badJson, 400, "invalid_input", ["body"]);

  assertError(await order(c, { items: [], address }), 400, "invalid_input", ["items"]);
  assertError(await order(c, { address }), 400, "invalid_input", ["items"]);
  assertError(await order(c, { items: [{ productId: id, quantity: 0 }], address }), 400, "invalid_input", [
    "items.0.quantity",
  ]);
  assertError(await order(c, { items: [{ productId: id, quantity: 1.5 }], address }), 400, "invalid_input", [
    "items.0.quantity",
  ]);
  assertError(await order(c, { items: [{ productId: id, quantity: -1 }], address }), 400, "invalid_input", [
    "items.0.quantity",
  ]);
  assertError(await order(c, { items: [{ productId: "abc", quantity: 1 }], address }), 400, "invalid_input", [
    "items.0.productId",
  ]);
  const unknown = assertError(
    await order(c, { items: [{ productId: "987654321", quantity: 1 }], address }),
    400,
    "invalid_input",
    ["items"],
  );
  assert.match(unknown.error.fields!.items, /987654321/);
  // A known product next to an unknown one: the known one's reservation is rolled back.
  assertError(
    await order(c, { items: [{ productId: id, quantity: 2 }, { productId: "987654321", quantity: 1 }], address }),
    400,
    "invalid_input",
    ["items"],
  );

  assertError(await order(c, { items: good.items }), 400, "invalid_input", ["address"]);
  const partial = assertError(
    await order(c, { items: good.items, address: { name: "张三" } }),
    400,
    "invalid_input",
    ["address.phone", "address.line1", "address.city"],
  );
  assert.equal(partial.error.fields!["address.name"], undefined);
  const blank = assertError(
    await order(c, { items: good.items, address: { ...address, name: "  ", phone: "abc" } }),
    400,
    "invalid_input",
    ["address.name", "address.phone"],
  );
  assert.equal(blank.error.fields!["address.phone"], "Enter a valid phone number");
  assertError(await order(c, { ...good, pointsToUse: -5 }), 400, "invalid_input", ["pointsToUse"]);

  assert.deepEqual(await productRow(id), { stock: 10, reserved: 0, sellable: 10, sold: 0 });
  assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), 0);
  assert.equal(
    await count("SELECT count(*) FROM stock_movements WHERE product_id = $1 AND reason = 'reserve'", [id]),
    0,
  );
});

Deno.test("POST /api/orders: not enough stock is 409 out_of_stock and nothing changes", opts, async () => {
  const scarce = await createProduct({ stock: 3 });
  const plenty = await createProduct({ stock: 50 });
  const buyer = await member();
  const before = {
    orders: await count("SELECT count(*) FROM orders"),
    movements: await count("SELECT count(*) FROM stock_movements"),
    events: await count("SELECT count(*) FROM events"),
    transitions: await count("SELECT count(*) FROM order_transitions"),
  };
  const res = await order(buyer.client, { items: [{ productId: scarce, quantity: 4 }], address });
  const err = assertError(res, 409, "out_of_stock");
  assert.match(err.error.message, /3/);
  // The same product twice adds up; a plentiful line before it is rolled back with it.
  assertError(
    await order(buyer.client, {
      items: [{ productId: plenty, quantity: 5 }, { productId: scarce, quantity: 2 }, {
        productId: scarce,
        quantity: 2,
      }],
      address,
    }),
    409,
    "out_of_stock",
  );
  assert.deepEqual(await productRow(scarce), { stock: 3, reserved: 0, sellable: 3, sold: 0 });
  assert.deepEqual(await productRow(plenty), { stock: 50, reserved: 0, sellable: 50, sold: 0 });
  assert.deepEqual({
    orders: await count("SELECT count(*) FROM orders"),
    movements: await count("SELECT count(*) FROM stock_movements"),
    events: await count("SELECT count(*) FROM events"),
    transitions: await count("SELECT count(*) FROM order_transitions"),
  }, before);
  // Exactly what is left can still be bought.
  const o = await placed(buyer.client, [{ productId: scarce, quantity: 3 }]);
  assert.equal(o.items[0].quantity, 3);
  assert.deepEqual(await productRow(scarce), { stock: 3, reserved: 3, sellable: 0, sold: 0 });
});

Deno.test(
  "POST /api/orders: prices, shipping line, repeated lines merge, the same key returns the first order, another body is 422",
  opts,
  async () => {
    const a = await createProduct({ price: "49.50", stock: 20 });
    const b = await createProduct({ price: "12.34", stock: 20 });
    const buyer = await member();

    const free = await order(buyer.client, { items: [{ productId: a, quantity: 2 }], address }, "key-free");
    assert.equal(free.status, 201, JSON.stringify(free.body));
    const o = free.body.order;
    assert.equal(o.status, "pending_payment");
    assert.match(o.number, /^\d{16}$/);
    assert.deepEqual(
      o.items.map((i) => ({
        productId: i.productId,
        quantity: i.quantity,
        unitPrice: i.unitPrice,
        lineTotal: i.lineTotal,
      })),
      [{ productId: a, quantity: 2, unitPrice: "49.50", lineTotal: "99.00" }],
    );
    assert.equal(o.subtotal, "99.00");
    assert.equal(o.discount, "0.00");
    assert.equal(o.pointsDiscount, "0.00");
    assert.equal(o.shipping, "0.00", "¥99.00 of goods ships free");
    assert.equal(o.total, "99.00");
    assert.deepEqual(o.timeline.map((t) => t.status), ["pending_payment"]);
    assert.ok(!Number.isNaN(Date.parse(o.createdAt)));
    const minutes = (Date.parse(o.expiresAt) - Date.parse(o.createdAt)) / 60_000;
    assert.ok(Math.abs(minutes - 30) < 0.1, `payment timeout is 30 minutes, got ${minutes}`);

    const paid = await order(buyer.client, {
      items: [{ productId: a, quantity: 1 }, { productId: b, quantity: 1 }, { productId: a, quantity: 1 }],
      address,
    });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    const merged = paid.body.order;
    assert.deepEqual(
      merged.items.map((i) => [i.productId, i.quantity, i.lineTotal]).sort(),
      [[a, 2, "99.00"], [b, 1, "12.34"]].sort(),
    );
    assert.equal(merged.subtotal, "111.34");
    assert.equal(merged.shipping, "0.00");
    assert.equal(merged.total, "111.34");

    const small = await placed(buyer.client, [{ productId: b, quantity: 1 }]);
    assert.equal(small.subtotal, "12.34");
    assert.equal(small.shipping, "10.00");
    assert.equal(small.total, "22.34");

    // Same key with another body (like Stripe): 422 idempotency_mismatch and nothing changes.
    const ordersBefore = await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]);
    const other_body = await order(buyer.client, { items: [{ productId: b, quantity: 5 }], address }, "key-free");
    assertError(other_body, 422, "idempotency_mismatch", ["Idempotency-Key"]);
    // Same key and the same body: the first order, nothing new reserved.
    const again = await order(buyer.client, { items: [{ productId: a, quantity: 2 }], address }, "key-free");
    assert.ok(again.status === 200 || again.status === 201, JSON.stringify(again.body));
    assert.equal(again.body.order.id, o.id);
    assert.equal(again.body.order.total, "99.00");
    assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), ordersBefore);
    assert.deepEqual(await productRow(a), { stock: 20, reserved: 4, sellable: 16, sold: 0 });
    assert.deepEqual(await productRow(b), { stock: 20, reserved: 2, sellable: 18, sold: 0 });
    // Keys belong to a member: another member with the same key gets their own order.
    const other = await member();
    const theirs = await order(other.client, { items: [{ productId: b, quantity: 1 }], address }, "key-free");
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.order.id, o.id);
  },
);

Deno.test("GET /api/orders/:id: the buyer and managers only; others get 404", opts, async () => {
  const id = await createProduct();
  const buyer = await member();
  const stranger = await member();
  const o = await placed(buyer.client, [{ productId: id, quantity: 1 }]);
  assert.equal((await getOrder(buyer.client, o.id)).id, o.id);
  assertError(await stranger.client.json("GET", `/api/orders/${o.id}`), 404, "not_found");
  assertError(await stranger.client.json("GET", "/api/orders/999999999"), 404, "not_found");
  assertError(await stranger.client.json("GET", "/api/orders/not-a-number"), 404, "not_found");
  const asManager = await admin.json<{ order: OrderView }>("GET", `/api/orders/${o.id}`);
  assert.equal(asManager.status, 200);
  assert.equal(asManager.body.order.id, o.id);
  assert.equal(asManager.body.order.total, "100.00");
  // Strangers cannot act on it either.
  assertError(
    await stranger.client.json("POST", `/api/orders/${o.id}/pay`, { json: { method: "sandbox" } }),
    404,
    "not_found",
  );
  assertError(await stranger.client.json("POST", `/api/orders/${o.id}/cancel`), 404, "not_found");
  assert.equal((await getOrder(buyer.client, o.id)).status, "pending_payment");
  // Managers list orders by status.
  const list = await admin.json<{ items: OrderView[]; total: number }>(
    "GET",
    "/api/admin/orders?status=pending_payment&pageSize=100",
  );
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((x) => x.id === o.id));
  assert.ok(list.body.items.every((x) => x.status === "pending_payment"));
  assertError(await admin.json("GET", "/api/admin/orders?status=lost"), 400, "invalid_input", ["status"]);
});

// --- Pay, cancel, ship, receipt -------------------------------------------------------------------

Deno.test("pay: only sandbox, only while unpaid; cancel only while unpaid and it releases stock", opts, async () => {
  const id = await createProduct({ price: "30.00", stock: 10 });
  const buyer = await member();
  const c = buyer.client;
  const o = await placed(c, [{ productId: id, quantity: 2 }]);
  assert.equal(o.total, "70.00");

  assertError(await c.json("POST", `/api/orders/${o.id}/pay`, { json: { method: "cash" } }), 400, "invalid_input", [
    "method",
  ]);
  assertError(await c.json("POST", `/api/orders/${o.id}/pay`, { json: {} }), 400, "invalid_input", ["method"]);
  const first = await pay(c, o.id);
  assert.equal(first.status, "pending");
  assert.equal(first.amount, "70.00");
  const second = await pay(c, o.id);
  assert.equal(second.id, first.id, "paying again while the payment is open reuses it");
  await settle(first);
  assertError(
    await c.json("POST", `/api/orders/${o.id}/pay`, { json: { method: "sandbox" } }),
    409,
    "invalid_transition",
  );
  assertError(await c.json("POST", `/api/orders/${o.id}/cancel`), 409, "invalid_transition");
  assert.equal((await getOrder(c, o.id)).status, "paid");
  assert.deepEqual(await productRow(id), { stock: 8, reserved: 0, sellable: 8, sold: 2 });

  const unpaid = await placed(c, [{ productId: id, quantity: 3 }]);
  assert.deepEqual(await productRow(id), { stock: 8, reserved: 3, sellable: 5, sold: 2 });
  const cancelled = await c.json<{ order: OrderView }>("POST", `/api/orders/${unpaid.id}/cancel`);
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.equal(cancelled.body.order.status, "cancelled");
  assert.deepEqual(cancelled.body.order.timeline.map((t) => [t.status, t.actor]), [
    ["pending_payment", "buyer"],
    ["cancelled", "buyer"],
  ]);
  assert.deepEqual(await productRow(id), { stock: 8, reserved: 0, sellable: 8, sold: 2 });
  assert.equal(
    await count(
      "SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'release' AND reserved_delta = -3",
      [
        unpaid.id,
      ],
    ),
    1,
  );
  assertError(await c.json("POST", `/api/orders/${unpaid.id}/cancel`), 409, "invalid_transition");
  assertError(
    await c.json("POST", `/api/orders/${unpaid.id}/pay`, { json: { method: "sandbox" } }),
    409,
    "invalid_transition",
  );
  assertError(await c.json("POST", "/api/orders/999999999/cancel"), 404, "not_found");
});

Deno.test("ship only from paid; confirm receipt only after shipping; refund only after payment", opts, async () => {
  const id = await createProduct({ price: "120.00", stock: 10 });
  const buyer = await member();
  const c = buyer.client;
  const o = await placed(c, [{ productId: id, quantity: 1 }]);

  assertError(
    await admin.json("POST", `/api/admin/orders/${o.id}/ship`, { json: { carrier: "SF", trackingNumber: "SF0001" } }),
    409,
    "invalid_transition",
  );
  assertError(await c.json("POST", `/api/orders/${o.id}/confirm-receipt`), 409, "invalid_transition");
  assertError(
    await requestRefund(c, o.id, [{ orderItemId: o.items[0].id, quantity: 1 }]),
    409,
    "invalid_transition",
  );
  assert.equal(await count("SELECT count(*) FROM refunds WHERE order_id = $1", [o.id]), 0);
  assert.equal((await getOrder(c, o.id)).status, "pending_payment");

  await settle(await pay(c, o.id));
  assertError(await c.json("POST", `/api/orders/${o.id}/confirm-receipt`), 409, "invalid_transition");
  assertError(
    await admin.json("POST", `/api/admin/orders/${o.id}/ship`, { json: { carrier: "", trackingNumber: "1" } }),
    400,
    "invalid_input",
    ["carrier", "trackingNumber"],
  );
  assertError(
    await admin.json("POST", "/api/admin/orders/999999999/ship", { json: { carrier: "SF", trackingNumber: "SF0001" } }),
    404,
    "not_found",
  );
  const shipped = await admin.json<{ order: OrderView }>("POST", `/api/admin/orders/${o.id}/ship`, {
    json: { carrier: "顺丰", trackingNumber: "SF1234567890" },
  });
  assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
  assert.equal(shipped.body.order.status, "shipped");
  assert.equal(shipped.body.order.carrier, "顺丰");
  assert.equal(shipped.body.order.trackingNumber, "SF1234567890");
  assertError(
    await admin.json("POST", `/api/admin/orders/${o.id}/ship`, { json: { carrier: "SF", trackingNumber: "SF0002" } }),
    409,
    "invalid_transition",
  );
  const stranger = await member();
  assertError(await stranger.client.json("POST", `/api/orders/${o.id}/confirm-receipt`), 404, "not_found");
  const received = await c.json<{ order: OrderView }>("POST", `/api/orders/${o.id}/confirm-receipt`);
  assert.equal(received.status, 200);
  assert.equal(received.body.order.status, "delivered");
  assert.deepEqual(received.body.order.timeline.map((t) => [t.status, t.actor]), [
    ["pending_payment", "buyer"],
    ["paid", "provider"],
    ["shipped", "manager"],
    ["delivered", "buyer"],
  ]);
  assertError(await c.json("POST", `/api/orders/${o.id}/confirm-receipt`), 409, "invalid_transition");
  assertError(await c.json("POST", `/api/orders/${o.id}/cancel`), 409, "invalid_transition");
});

// --- The webhook ------------------------------------------------------------------------------------

Deno.test(
  "webhook: bad signature 401, amount mismatch 422, failed payment, replay no-op, sold once",
  opts,
  async () => {
    const id = await createProduct({ price: "64.00", stock: 10 });
    const buyer = await member();
    const c = buyer.client;
    const o = await placed(c, [{ productId: id, quantity: 2 }]);
    assert.equal(o.total, "128.00");
    const payment = await pay(c, o.id);
    const event = { eventId: `evt_${uid()}`, paymentId: payment.id, amount: "128.00", status: "succeeded" };

    const state = async () => ({
      order: (await getOrder(c, o.id)).status,
      payment: (await app.db.query<{ status: string }>("SELECT status FROM payments WHERE id = $1", [payment.id]))[0]
        .status,
      events: await count("SELECT count(*) FROM payment_events WHERE payment_id = $1", [payment.id]),
      product: await productRow(id),
      transitions: await count("SELECT count(*) FROM order_transitions WHERE order_id = $1", [o.id]),
    });
    const unpaid = {
      order: "pending_payment",
      payment: "pending",
      events: 0,
      product: { stock: 10, reserved: 2, sellable: 8, sold: 0 },
      transitions: 1,
    };

    assertError(await webhook(event, "sha256=" + "0".repeat(64)), 401, "unauthenticated");
    assertError(await webhook(event, "garbage"), 401, "unauthenticated");
    const unsigned = await app.client().json("POST", "/api/payments/webhook/sandbox", {
      body: JSON.stringify(event),
      headers: { "content-type": "application/json" },
    });
    assertError(unsigned, 401, "unauthenticated");
    // A signature over another body (a tampered amount) does not verify.
    const signedCheap = await sandbox.sign(JSON.stringify({ ...event, amount: "1.00" }));
    assertError(await webhook(event, signedCheap), 401, "unauthenticated");
    // Signed with another secret.
    assertError(
      await webhook(event, await new SandboxProvider("not-the-secret").sign(JSON.stringify(event))),
      401,
      "unauthenticated",
    );
    assert.deepEqual(await state(), unpaid);

    assertError(await webhook({ ...event, amount: "12.80" }), 422, "amount_mismatch");
    assertError(await webhook({ ...event, eventId: `evt_${uid()}`, amount: "128.01" }), 422, "amount_mismatch");
    assert.deepEqual(await state(), unpaid);
    assertError(await webhook({ ...event, status: "maybe" }), 400, "invalid_input");
    assertError(await webhook({ ...event, paymentId: "pay_unknown" }), 404, "not_found");
    assert.deepEqual(await state(), unpaid);

    // A failed payment leaves the order unpaid; the buyer can pay again with a new payment.
    const failed = await webhook({
      eventId: `evt_${uid()}`,
      paymentId: payment.id,
      amount: "128.00",
      status: "failed",
    });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.outcome, "failed");
    assert.equal((await state()).payment, "failed");
    assert.equal((await state()).order, "pending_payment");
    const retry = await pay(c, o.id);
    assert.notEqual(retry.id, payment.id);
    assert.equal(retry.amount, "128.00");

    const ok = await webhook({ ...event, paymentId: retry.id });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.outcome, "paid");
    const again = await webhook({ ...event, paymentId: retry.id });
    assert.equal(again.status, 200);
    assert.equal(again.body.outcome, "duplicate");
    // A different event for the settled payment changes nothing either.
    const late = await webhook({ ...event, eventId: `evt_${uid()}`, paymentId: retry.id });
    assert.equal(late.status, 200);
    assert.notEqual(late.body.outcome, "paid");

    const view = await getOrder(c, o.id);
    assert.equal(view.status, "paid");
    assert.deepEqual(view.timeline.map((t) => t.status), ["pending_payment", "paid"]);
    assert.equal(view.payment?.id, retry.id);
    assert.equal(view.payment?.status, "succeeded");
    assert.deepEqual(await productRow(id), { stock: 8, reserved: 0, sellable: 8, sold: 2 });
    assert.equal(
      await count("SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'sell'", [o.id]),
      1,
    );
    const [spent] = await app.db.query<{ total_spent: string }>("SELECT total_spent FROM users WHERE id = $1", [
      buyer.id,
    ]);
    assert.equal(spent.total_spent, "128.00");
  },
);

Deno.test(
  "webhook: success after the order was cancelled or expired is refunded; the order stays cancelled",
  opts,
  async () => {
    const id = await createProduct({ price: "88.00", stock: 10 });
    const buyer = await member();
    const c = buyer.client;

    const check = async (orderId: string, payment: Payment) => {
      const res = await webhook({
        eventId: `evt_${uid()}`,
        paymentId: payment.id,
        amount: payment.amount,
        status: "succeeded",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.outcome, "refunded_late");
      const view = await getOrder(c, orderId);
      assert.equal(view.status, "cancelled");
      const [row] = await app.db.query<{ status: string }>("SELECT status FROM payments WHERE id = $1", [payment.id]);
      assert.equal(row.status, "refunded");
      const refunds = await app.db.query<{ amount: string }>(
        "SELECT amount FROM provider_refunds WHERE payment_id = $1",
        [
          payment.id,
        ],
      );
      assert.deepEqual(refunds.map((r) => r.amount), ["98.00"]);
      assert.equal(
        await count("SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'sell'", [orderId]),
        0,
      );
    };

    const cancelled = await placed(c, [{ productId: id, quantity: 1 }]);
    assert.equal(cancelled.total, "98.00");
    const p1 = await pay(c, cancelled.id);
    assert.equal((await c.json("POST", `/api/orders/${cancelled.id}/cancel`)).status, 200);
    await check(cancelled.id, p1);

    const expired = await placed(c, [{ productId: id, quantity: 1 }]);
    const p2 = await pay(c, expired.id);
    await app.db.query("UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.id]);
    assert.ok(await expireDueOrders(app.shop) >= 1);
    const view = await getOrder(c, expired.id);
    assert.equal(view.status, "cancelled");
    assert.deepEqual(view.timeline.at(-1)?.actor, "system");
    await check(expired.id, p2);

    assert.deepEqual(await productRow(id), { stock: 10, reserved: 0, sellable: 10, sold: 0 });
    const [spent] = await app.db.query<{ total_spent: string }>("SELECT total_spent FROM users WHERE id = $1", [
      buyer.id,
    ]);
    assert.equal(spent.total_spent, "0.00");
  },
);

// --- Coupons ----------------------------------------------------------------------------------------

Deno.test("POST /api/admin/coupons: created, duplicate code 409, invalid values 400", opts, async () => {
  const code = `NEW${uid()}`;
  const created = await admin.json<{ coupon: Coupon }>("POST", "/api/admin/coupons", {
    json: { code, kind: "amount_off", value: "20.00", minSubtotal: "100.00" },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.coupon.code, code);
  assert.equal(created.body.coupon.kind, "amount_off");
  assert.equal(created.body.coupon.value, "20.00");
  assert.equal(typeof created.body.coupon.id, "string");
  assert.equal(
    await count("SELECT count(*) FROM audit_log WHERE action = 'coupon.create' AND target = $1 AND actor_id = $2", [
      `coupon:${created.body.coupon.id}`,
      adminId,
    ]),
    1,
  );

  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { code, kind: "amount_off", value: "5.00" } }),
    409,
    "conflict",
    ["code"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", {
      json: { code: code.toLowerCase(), kind: "amount_off", value: "5.00" },
    }),
    409,
    "conflict",
  );
  for (const value of ["1", "1.00", "1.5", "15"]) {
    assertError(
      await admin.json("POST", "/api/admin/coupons", { json: { code: `P${uid()}`, kind: "percent_off", value } }),
      400,
      "invalid_input",
      ["value"],
    );
  }
  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { code: `Z${uid()}`, kind: "amount_off", value: "0" } }),
    400,
    "invalid_input",
    ["value"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", {
      json: { code: `Z${uid()}`, kind: "amount_off", value: "20" + "元" },
    }),
    400,
    "invalid_input",
    ["value"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { code: `Z${uid()}`, kind: "gift", value: "1.00" } }),
    400,
    "invalid_input",
    ["kind"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", {
      json: {
        code: `Z${uid()}`,
        kind: "amount_off",
        value: "5.00",
        startsAt: "2030-01-02T00:00:00Z",
        endsAt: "2030-01-01T00:00:00Z",
      },
    }),
    400,
    "invalid_input",
    ["endsAt"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { code: "a b", kind: "amount_off", value: "5.00" } }),
    400,
    "invalid_input",
    ["code"],
  );
  // review13: a coupon for an unknown product or category is 400 naming it.
  assertError(
    await admin.json("POST", "/api/admin/coupons", {
      json: { code: `Z${uid()}`, kind: "amount_off", value: "5.00", productIds: ["999999"] },
    }),
    400,
    "invalid_input",
    ["productIds"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", {
      json: { code: `Z${uid()}`, kind: "amount_off", value: "5.00", categoryIds: ["999999"] },
    }),
    400,
    "invalid_input",
    ["categoryIds"],
  );
  const percent = await coupon({ code: `PCT${uid()}`, kind: "percent_off", value: "0.15" });
  assert.equal(percent.value, "0.15");
});

Deno.test(
  "coupon ¥20 off over ¥100 applies; percent off rounds to the cent; it is used once per member",
  opts,
  async () => {
    const code = `OFF20${uid()}`;
    await coupon({ code, kind: "amount_off", value: "20.00", minSubtotal: "100.00", perMemberLimit: 1 });
    const big = await createProduct({ price: "120.00" });
    const half = await createProduct({ price: "55.00" });
    const tenth = await createProduct({ price: "33.33" });

    const a = await member();
    const o1 = await placed(a.client, [{ productId: big, quantity: 1 }], { couponCode: code.toLowerCase() });
    assert.equal(o1.subtotal, "120.00");
    assert.equal(o1.discount, "20.00");
    assert.equal(o1.shipping, "0.00", "¥100 of goods after the coupon ships free");
    assert.equal(o1.total, "100.00");
    assert.equal(o1.items[0].lineTotal, "100.00");
    assert.equal(
      await count("SELECT count(*) FROM coupon_redemptions WHERE order_id = $1 AND NOT released", [o1.id]),
      1,
    );
    // perMemberLimit 1: a second order by the same member is refused.
    const reused = assertError(
      await order(a.client, { items: [{ productId: big, quantity: 1 }], address, couponCode: code }),
      400,
      "invalid_input",
      ["couponCode"],
    );
    assert.match(reused.error.fields!.couponCode, /already used/i);

    const b = await member();
    const o2 = await placed(b.client, [{ productId: half, quantity: 2 }], { couponCode: code });
    assert.equal(o2.subtotal, "110.00");
    assert.equal(o2.discount, "20.00");
    assert.equal(o2.shipping, "10.00", "¥90 of goods after the coupon is under ¥99");
    assert.equal(o2.total, "100.00");

    const pct = `PCT15${uid()}`;
    await coupon({ code: pct, kind: "percent_off", value: "0.15" });
    const c = await member();
    const o3 = await placed(c.client, [{ productId: tenth, quantity: 3 }, { productId: half, quantity: 1 }], {
      couponCode: pct,
    });
    assert.equal(o3.subtotal, "154.99");
    assert.equal(o3.discount, "23.25", "15 % of ¥154.99 = ¥23.2485 → ¥23.25");
    assert.equal(o3.shipping, "0.00");
    assert.equal(o3.total, "131.74");
    // The discount is spread over the lines in proportion, and the lines add up exactly.
    const lineSum = o3.items.reduce((s, i) => s + Math.round(Number(i.lineTotal) * 100), 0);
    assert.equal(lineSum, 13174, "lines plus shipping add up to the total");
    const payment = await pay(c.client, o3.id);
    assert.equal(payment.amount, "131.74");
  },
);

Deno.test(
  "a coupon that does not apply is 400 with fields.couponCode saying why, and nothing is reserved",
  opts,
  async () => {
    const cheap = await createProduct({ price: "50.00", stock: 10, category: "sports" });
    const other = await createProduct({ price: "150.00", stock: 10, category: "health" });
    const codes = {
      threshold: `MIN${uid()}`,
      expired: `OLD${uid()}`,
      future: `SOON${uid()}`,
      newOnly: `NEW${uid()}`,
      product: `PRD${uid()}`,
    };
    await coupon({ code: codes.threshold, kind: "amount_off", value: "20.00", minSubtotal: "100.00" });
    await coupon({ code: codes.expired, kind: "amount_off", value: "5.00", endsAt: "2020-01-01T00:00:00Z" });
    await coupon({ code: codes.future, kind: "amount_off", value: "5.00", startsAt: "2099-01-01T00:00:00Z" });
    await coupon({ code: codes.newOnly, kind: "amount_off", value: "10.00", newMembersOnly: true });
    await coupon({ code: codes.product, kind: "percent_off", value: "0.10", productIds: [other] });

    const buyer = await member();
    const c = buyer.client;
    const why = async (couponCode: string, productId = cheap, quantity = 1) => {
      const res = await order(c, { items: [{ productId, quantity }], address, couponCode });
      return assertError(res, 400, "invalid_input", ["couponCode"]).error.fields!.couponCode;
    };
    assert.match(await why(codes.threshold), /at least ¥100\.00/);
    assert.match(await why(codes.expired), /expired/i);
    assert.match(await why(codes.future), /not valid yet/i);
    assert.match(await why(codes.product), /does not apply/i);
    assert.match(await why("NO-SUCH-CODE"), /no coupon/i);

    // The product-specific coupon does apply to its product; new-members-only applies before the first payment.
    const fits = await placed(c, [{ productId: other, quantity: 1 }, { productId: cheap, quantity: 1 }], {
      couponCode: codes.product,
    });
    assert.equal(fits.subtotal, "200.00");
    assert.equal(fits.discount, "15.00", "10 % of the ¥150 eligible line only");
    assert.equal(fits.total, "185.00");
    const welcome = await placed(c, [{ productId: cheap, quantity: 1 }], { couponCode: codes.newOnly });
    assert.equal(welcome.discount, "10.00");
    assert.equal(welcome.total, "50.00");
    await settle(await pay(c, welcome.id));
    assert.match(await why(codes.newOnly), /new members only/i);

    assert.deepEqual(await productRow(cheap), { stock: 9, reserved: 1, sellable: 8, sold: 1 });
    assert.deepEqual(await productRow(other), { stock: 10, reserved: 1, sellable: 9, sold: 0 });
    assert.equal(await count("SELECT count(*) FROM orders WHERE user_id = $1", [buyer.id]), 2);
  },
);

// --- Points ---------------------------------------------------------------------------------------

Deno.test(
  "points: 100 = ¥1, at most half the goods, more than the balance is 400; cancel returns them",
  opts,
  async () => {
    const hundred = await createProduct({ price: "100.00" });
    const sixty = await createProduct({ price: "60.00" });
    const buyer = await member();
    const c = buyer.client;
    await givePoints(buyer.id, 3000);

    const over = assertError(
      await order(c, { items: [{ productId: hundred, quantity: 1 }], address, pointsToUse: 3001 }),
      400,
      "invalid_input",
      ["pointsToUse"],
    );
    assert.match(over.error.fields!.pointsToUse, /3000/);
    assert.equal(await points(buyer.id), 3000);
    assert.equal((await productRow(hundred)).reserved, 0);

    const o = await placed(c, [{ productId: hundred, quantity: 1 }], { pointsToUse: 2000 });
    assert.equal(o.subtotal, "100.00");
    assert.equal(o.pointsUsed, 2000);
    assert.equal(o.pointsDiscount, "20.00");
    assert.equal(o.shipping, "0.00", "free shipping is judged on the goods before points");
    assert.equal(o.total, "80.00");
    assert.equal(o.items[0].lineTotal, "80.00");
    assert.equal(await points(buyer.id), 1000);
    assert.equal(
      await count("SELECT count(*) FROM points_ledger WHERE order_id = $1 AND reason = 'spend' AND delta = -2000", [
        o.id,
      ]),
      1,
    );

    const cancelled = await c.json<{ order: OrderView }>("POST", `/api/orders/${o.id}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(await points(buyer.id), 3000);
    assert.equal(
      await count(
        "SELECT count(*) FROM points_ledger WHERE order_id = $1 AND reason = 'spend_return' AND delta = 2000",
        [
          o.id,
        ],
      ),
      1,
    );

    await givePoints(buyer.id, 7000);
    const capped = await placed(c, [{ productId: sixty, quantity: 1 }], { pointsToUse: 10000 });
    assert.equal(capped.pointsUsed, 3000, "points pay at most 50 % of ¥60");
    assert.equal(capped.pointsDiscount, "30.00");
    assert.equal(capped.shipping, "10.00");
    assert.equal(capped.total, "40.00");
    assert.equal(await points(buyer.id), 7000);
    assert.equal((await pay(c, capped.id)).amount, "40.00");
  },
);

// --- Stock events and admin products ----------------------------------------------------------------

Deno.test("stock_low event when an order takes sellable stock to or below the threshold, once", opts, async () => {
  const id = await createProduct({ stock: 5, lowStockThreshold: 2 });
  const buyer = await member();
  const lowEvents = () =>
    count(`SELECT count(*) FROM events WHERE type = 'stock_low' AND data->>'productId' = $1`, [id]);
  assert.equal(await lowEvents(), 0);
  await placed(buyer.client, [{ productId: id, quantity: 2 }]);
  assert.equal(await lowEvents(), 0, "3 sellable is above the threshold of 2");
  await placed(buyer.client, [{ productId: id, quantity: 1 }]);
  assert.equal(await lowEvents(), 1);
  const [event] = await app.db.query<{ rooms: string[]; data: { stock: number; threshold: number; name: string } }>(
    "SELECT rooms, data FROM events WHERE type = 'stock_low' AND data->>'productId' = $1",
    [id],
  );
  assert.equal(event.data.stock, 2);
  assert.equal(event.data.threshold, 2);
  assert.deepEqual(event.rooms, ["managers"]);
  await placed(buyer.client, [{ productId: id, quantity: 1 }]);
  assert.equal(await lowEvents(), 1, "already low: no second event");
});

Deno.test(
  "admin products: create, read, PATCH stock records the movement with the actor and one audit entry",
  opts,
  async () => {
    const created = await admin.json<{ product: AdminProduct }>("POST", "/api/admin/products", {
      json: {
        name: "玻尿酸面膜",
        category: "beauty",
        price: "129.00",
        costPrice: "45.50",
        stock: 10,
        lowStockThreshold: 3,
        onSale: true,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const p = created.body.product;
    assert.equal(p.name, "玻尿酸面膜");
    assert.equal(p.price, "129.00");
    assert.equal(p.costPrice, "45.50");
    assert.equal(p.stock, 10);
    assert.equal(p.lowStockThreshold, 3);
    assert.equal(p.onSale, true);
    assert.equal(
      await count(
        "SELECT count(*) FROM stock_movements WHERE product_id = $1 AND on_hand_delta = 10 AND actor_id = $2",
        [
          p.id,
          adminId,
        ],
      ),
      1,
    );

    for (
      const [body, field] of [
        [{ name: "", category: "beauty", price: "1.00", costPrice: "1.00", stock: 1, lowStockThreshold: 1 }, "name"],
        [{ name: "x", category: "beauty", price: "1.999", costPrice: "1.00", stock: 1, lowStockThreshold: 1 }, "price"],
        [{ name: "x", category: "beauty", price: "abc", costPrice: "1.00", stock: 1, lowStockThreshold: 1 }, "price"],
        [{ name: "x", category: "beauty", price: "1.00", costPrice: "1.00", stock: -1, lowStockThreshold: 1 }, "stock"],
        [{ name: "x", category: "beauty", price: "1.00", stock: 1, lowStockThreshold: 1 }, "costPrice"],
      ] as const
    ) {
      assertError(await admin.json("POST", "/api/admin/products", { json: body }), 400, "invalid_input", [field]);
    }

    const read = await admin.json<{ product: AdminProduct }>("GET", `/api/admin/products/${p.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.product.onHand, 10);
    assert.equal(read.body.product.reserved, 0);
    assertError(await admin.json("GET", "/api/admin/products/999999999"), 404, "not_found");
    assertError(await admin.json("GET", "/api/admin/products/abc"), 400, "invalid_input", ["id"]);

    const auditBefore = await count("SELECT count(*) FROM audit_log WHERE target = $1", [`product:${p.id}`]);
    const patched = await admin.json<{ product: AdminProduct }>("PATCH", `/api/admin/products/${p.id}`, {
      json: { stock: 15 },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.product.stock, 15);
    assert.equal(patched.body.product.onHand, 15);
    const moves = await app.db.query<
      { on_hand_delta: number; reserved_delta: number; reason: string; actor_id: string }
    >(
      "SELECT on_hand_delta, reserved_delta, reason, actor_id FROM stock_movements WHERE product_id = $1 ORDER BY id",
      [p.id],
    );
    assert.equal(moves.length, 2);
    assert.deepEqual({ ...moves[1], actor_id: String(moves[1].actor_id) }, {
      on_hand_delta: 5,
      reserved_delta: 0,
      reason: "adjust",
      actor_id: adminId,
    });
    const audits = await app.db.query<{ actor_id: string; action: string; before: unknown; after: unknown }>(
      "SELECT actor_id, action, before, after FROM audit_log WHERE target = $1 ORDER BY id",
      [`product:${p.id}`],
    );
    assert.equal(audits.length, auditBefore + 1, "one audit entry for the change");
    const entry = audits.at(-1)!;
    assert.equal(String(entry.actor_id), adminId);
    assert.equal(entry.action, "product.stock_adjust");
    assert.deepEqual(entry.before, { stock: 10 });
    assert.deepEqual(entry.after, { stock: 15 });
    const listed = await admin.json<{ items: { target: string; before: unknown; after: unknown }[] }>(
      "GET",
      `/api/admin/audit?action=product.stock_adjust&actor=${adminId}`,
    );
    assert.ok(listed.body.items.some((i) => i.target === `product:${p.id}`));

    // Price change: audited with before/after, no stock movement.
    const priced = await admin.json<{ product: AdminProduct }>("PATCH", `/api/admin/products/${p.id}`, {
      json: { price: "119.00" },
    });
    assert.equal(priced.status, 200);
    assert.equal(priced.body.product.price, "119.00");
    const [priceAudit] = await app.db.query<{ action: string; before: unknown; after: unknown }>(
      "SELECT action, before, after FROM audit_log WHERE target = $1 ORDER BY id DESC LIMIT 1",
      [`product:${p.id}`],
    );
    assert.equal(priceAudit.action, "product.update");
    assert.deepEqual(priceAudit.before, { price: "129.00" });
    assert.deepEqual(priceAudit.after, { price: "119.00" });
    assert.equal(await count("SELECT count(*) FROM stock_movements WHERE product_id = $1", [p.id]), 2);

    // Stock cannot go below what unpaid orders reserved; nothing changes then.
    const buyer = await member();
    await placed(buyer.client, [{ productId: p.id, quantity: 4 }]);
    assertError(
      await admin.json("PATCH", `/api/admin/products/${p.id}`, { json: { stock: 3, name: "改名" } }),
      409,
      "conflict",
      ["stock"],
    );
    const after = await admin.json<{ product: AdminProduct }>("GET", `/api/admin/products/${p.id}`);
    assert.equal(after.body.product.name, "玻尿酸面膜");
    assert.equal(after.body.product.onHand, 15);
    assert.equal(after.body.product.reserved, 4);
    assertError(await admin.json("PATCH", `/api/admin/products/${p.id}`, { json: {} }), 400, "invalid_input");
    assertError(
      await admin.json("PATCH", "/api/admin/products/999999999", { json: { stock: 1 } }),
      404,
      "not_found",
    );
    // Lowering the stock to the threshold raises the low-stock alert.
    const lowered = await admin.json("PATCH", `/api/admin/products/${p.id}`, { json: { stock: 7 } });
    assert.equal(lowered.status, 200);
    assert.equal(
      await count("SELECT count(*) FROM events WHERE type = 'stock_low' AND data->>'productId' = $1", [p.id]),
      1,
    );
  },
);

Deno.test("non-managers get 403 and anonymous visitors 401 on every admin shop route", opts, async () => {
  const shopper = await member();
  const anon = app.client();
  const routes: [string, string, unknown][] = [
    ["POST", "/api/admin/products", {
      name: "x",
      category: "beauty",
      price: "1.00",
      costPrice: "1.00",
      stock: 1,
      lowStockThreshold: 0,
    }],
    ["GET", "/api/admin/products/1", undefined],
    ["PATCH", "/api/admin/products/1", { stock: 1000 }],
    ["POST", "/api/admin/coupons", { code: `HACK${uid()}`, kind: "amount_off", value: "99.00" }],
    ["GET", "/api/admin/orders", undefined],
    ["POST", "/api/admin/orders/1/ship", { carrier: "SF", trackingNumber: "SF0001" }],
    ["POST", "/api/admin/refunds/1/approve", undefined],
    ["POST", "/api/admin/refunds/1/reject", { reason: "no" }],
  ];
  const before = {
    products: await count("SELECT count(*) FROM products"),
    coupons: await count("SELECT count(*) FROM coupons"),
  };
  for (const [method, path, json] of routes) {
    assertError(await shopper.client.json(method, path, { json }), 403, "forbidden");
    assertError(await anon.json(method, path, { json }), 401, "unauthenticated");
  }
  await app.db.query("UPDATE users SET role = 'distributor' WHERE id = $1", [shopper.id]);
  for (const [method, path, json] of routes) {
    assertError(await shopper.client.json(method, path, { json }), 403, "forbidden");
  }
  assert.deepEqual({
    products: await count("SELECT count(*) FROM products"),
    coupons: await count("SELECT count(*) FROM coupons"),
  }, before);
});

// --- Refunds ------------------------------------------------------------------------------------------

Deno.test("refund requests: errors, approve twice 409, reject after approval 409", opts, async () => {
  const id = await createProduct({ price: "40.00", stock: 10 });
  const buyer = await member();
  const c = buyer.client;
  const o = await paidOrder(c, [{ productId: id, quantity: 2 }]);
  const line = o.items[0].id;

  const tooMany = assertError(
    await requestRefund(c, o.id, [{ orderItemId: line, quantity: 3 }]),
    400,
    "invalid_input",
    [
      "items",
    ],
  );
  assert.match(tooMany.error.fields!.items, /2/);
  assertError(
    await requestRefund(c, o.id, [{ orderItemId: line, quantity: 1 }, { orderItemId: line, quantity: 2 }]),
    400,
    "invalid_input",
    ["items"],
  );
  assertError(await requestRefund(c, o.id, [{ orderItemId: "999999999", quantity: 1 }]), 400, "invalid_input", [
    "items",
  ]);
  assertError(await requestRefund(c, o.id, [{ orderItemId: line, quantity: 0 }]), 400, "invalid_input", [
    "items.0.quantity",
  ]);
  assertError(await requestRefund(c, o.id, []), 400, "invalid_input", ["items"]);
  assertError(
    await c.json("POST", `/api/orders/${o.id}/refunds`, {
      json: { items: [{ orderItemId: line, quantity: 1 }], reason: " " },
    }),
    400,
    "invalid_input",
    ["reason"],
  );
  const stranger = await member();
  assertError(await requestRefund(stranger.client, o.id, [{ orderItemId: line, quantity: 1 }]), 404, "not_found");
  assert.equal(await count("SELECT count(*) FROM refunds WHERE order_id = $1", [o.id]), 0);
  assert.equal((await getOrder(c, o.id)).status, "paid");

  const requested = await requestRefund(c, o.id, [{ orderItemId: line, quantity: 1 }]);
  assert.equal(requested.status, 201, JSON.stringify(requested.body));
  assert.equal(requested.body.refund.status, "requested");
  assert.equal(requested.body.refund.amount, "40.00");
  assert.equal((await getOrder(c, o.id)).status, "refund_requested");
  // One open request at a time.
  assertError(await requestRefund(c, o.id, [{ orderItemId: line, quantity: 1 }]), 409, "invalid_transition");

  const first = await approve(requested.body.refund.id);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.refund.status, "approved");
  assertError(await approve(requested.body.refund.id), 409, "invalid_transition");
  assertError(
    await admin.json("POST", `/api/admin/refunds/${requested.body.refund.id}/reject`, { json: { reason: "晚了" } }),
    409,
    "invalid_transition",
  );
  assertError(await approve("999999999"), 404, "not_found");
  assert.equal(
    await count("SELECT count(*) FROM provider_refunds WHERE refund_id = $1", [requested.body.refund.id]),
    1,
  );
  assert.deepEqual(await productRow(id), { stock: 9, reserved: 0, sellable: 9, sold: 2 });
  assert.equal((await getOrder(c, o.id)).status, "partially_refunded");
});

Deno.test(
  "refunding every unit of a paid, unshipped order returns the shipping too and the order is refunded",
  opts,
  async () => {
    const id = await createProduct({ price: "50.00", stock: 10 });
    const buyer = await member();
    const c = buyer.client;
    const o = await paidOrder(c, [{ productId: id, quantity: 1 }]);
    assert.equal(o.subtotal, "50.00");
    assert.equal(o.shipping, "10.00");
    assert.equal(o.total, "60.00");
    assert.deepEqual(await productRow(id), { stock: 9, reserved: 0, sellable: 9, sold: 1 });

    const req = await requestRefund(c, o.id, [{ orderItemId: o.items[0].id, quantity: 1 }]);
    assert.equal(req.status, 201, JSON.stringify(req.body));
    assert.equal(req.body.refund.itemsAmount, "50.00");
    assert.equal(req.body.refund.shippingRefund, "10.00");
    assert.equal(req.body.refund.amount, "60.00");
    const ok = await approve(req.body.refund.id);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.refund.amount, "60.00");

    const view = await getOrder(c, o.id);
    assert.equal(view.status, "refunded");
    assert.deepEqual(view.timeline.map((t) => t.status), ["pending_payment", "paid", "refund_requested", "refunded"]);
    const money = await app.db.query<{ amount: string }>(
      "SELECT amount FROM provider_refunds WHERE payment_id = $1",
      [view.payment!.id],
    );
    assert.deepEqual(money.map((m) => m.amount), ["60.00"]);
    assert.deepEqual(await productRow(id), { stock: 10, reserved: 0, sellable: 10, sold: 1 });
    const [spent] = await app.db.query<{ total_spent: string }>("SELECT total_spent FROM users WHERE id = $1", [
      buyer.id,
    ]);
    assert.equal(spent.total_spent, "0.00");
    // Nothing left to refund.
    const nothing = await requestRefund(c, o.id, [{ orderItemId: o.items[0].id, quantity: 1 }]);
    assertError(nothing, 400, "invalid_input", ["items"]);

    // After shipping, refunding everything does not return the shipping fee.
    const shippedOrder = await paidOrder(c, [{ productId: id, quantity: 1 }]);
    assert.equal(
      (await admin.json("POST", `/api/admin/orders/${shippedOrder.id}/ship`, {
        json: { carrier: "SF", trackingNumber: "SF9999" },
      })).status,
      200,
    );
    const late = await requestRefund(c, shippedOrder.id, [{ orderItemId: shippedOrder.items[0].id, quantity: 1 }]);
    assert.equal(late.status, 201);
    assert.equal(late.body.refund.shippingRefund, "0.00");
    assert.equal(late.body.refund.amount, "50.00");
  },
);

Deno.test(
  "two partial refunds sum exactly to what was paid; stock and spent points come back in proportion",
  opts,
  async () => {
    const id = await createProduct({ price: "33.33", stock: 10 });
    const pct = `P15${uid()}`;
    await coupon({ code: pct, kind: "percent_off", value: "0.15" });
    const buyer = await member();
    const c = buyer.client;
    await givePoints(buyer.id, 1000);

    const o = await paidOrder(c, [{ productId: id, quantity: 3 }], { couponCode: pct, pointsToUse: 1000 });
    assert.equal(o.subtotal, "99.99");
    assert.equal(o.discount, "15.00", "15 % of ¥99.99 = ¥14.9985 → ¥15.00");
    assert.equal(o.pointsUsed, 1000);
    assert.equal(o.pointsDiscount, "10.00");
    assert.equal(o.shipping, "10.00", "¥84.99 of goods after the coupon is under ¥99");
    assert.equal(o.total, "84.99");
    assert.equal(o.items[0].lineTotal, "74.99");
    assert.equal(await points(buyer.id), 0);
    assert.deepEqual(await productRow(id), { stock: 7, reserved: 0, sellable: 7, sold: 3 });
    const line = o.items[0].id;

    const r1 = await requestRefund(c, o.id, [{ orderItemId: line, quantity: 1 }]);
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    assert.equal(r1.body.refund.amount, "25.00", "a third of ¥74.99, rounded half up");
    assert.equal(r1.body.refund.shippingRefund, "0.00");
    assert.equal((await approve(r1.body.refund.id)).status, 200);
    let view = await getOrder(c, o.id);
    assert.equal(view.status, "partially_refunded");
    assert.equal(view.items[0].refundedQuantity, 1);
    assert.equal(view.items[0].refundedAmount, "25.00");
    assert.equal(await points(buyer.id), 333, "⌊25.00 / 74.99 × 1000⌋");
    assert.deepEqual(await productRow(id), { stock: 8, reserved: 0, sellable: 8, sold: 3 });

    const r2 = await requestRefund(c, o.id, [{ orderItemId: line, quantity: 2 }]);
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    assert.equal(r2.body.refund.itemsAmount, "49.99");
    assert.equal(
      r2.body.refund.shippingRefund,
      "10.00",
      "the last units of an unshipped order bring the shipping back",
    );
    assert.equal(r2.body.refund.amount, "59.99");
    assert.equal((await approve(r2.body.refund.id)).status, 200);
    view = await getOrder(c, o.id);
    assert.equal(view.status, "refunded");
    assert.equal(view.items[0].refundedAmount, "74.99");
    assert.equal(await points(buyer.id), 1000, "every spent point is back");
    assert.deepEqual(await productRow(id), { stock: 10, reserved: 0, sellable: 10, sold: 3 });

    const [paidBack] = await app.db.query<{ total: string }>(
      "SELECT sum(amount)::numeric(20,2)::text AS total FROM provider_refunds WHERE payment_id = $1",
      [view.payment!.id],
    );
    assert.equal(paidBack.total, "84.99", "the refunds add up to exactly what was paid");
    const ledger = await app.db.query<{ delta: number; reason: string }>(
      "SELECT delta, reason FROM points_ledger WHERE order_id = $1 ORDER BY id",
      [o.id],
    );
    assert.deepEqual(ledger.map((l) => ({ delta: l.delta, reason: l.reason })), [{ delta: -1000, reason: "spend" }, {
      delta: 333,
      reason: "spend_return",
    }, {
      delta: 667,
      reason: "spend_return",
    }]);
    assert.equal(
      await count(
        "SELECT count(*) FROM stock_movements WHERE order_id = $1 AND reason = 'refund_return' AND actor_id = $2",
        [
          o.id,
          adminId,
        ],
      ),
      2,
    );
  },
);

Deno.test("a rejected refund returns the order to its previous status; reject needs a reason", opts, async () => {
  const id = await createProduct({ price: "80.00", stock: 10 });
  const buyer = await member();
  const c = buyer.client;
  const o = await paidOrder(c, [{ productId: id, quantity: 1 }]);
  const req = await requestRefund(c, o.id, [{ orderItemId: o.items[0].id, quantity: 1 }]);
  assert.equal(req.status, 201);
  assertError(
    await admin.json("POST", `/api/admin/refunds/${req.body.refund.id}/reject`, { json: {} }),
    400,
    "invalid_input",
    ["reason"],
  );
  const rejected = await admin.json<{ refund: Refund }>("POST", `/api/admin/refunds/${req.body.refund.id}/reject`, {
    json: { reason: "商品已拆封" },
  });
  assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
  assert.equal(rejected.body.refund.status, "rejected");
  assert.equal(rejected.body.refund.decisionNote, "商品已拆封");
  const view = await getOrder(c, o.id);
  assert.equal(view.status, "paid");
  assert.deepEqual(view.timeline.map((t) => t.status), ["pending_payment", "paid", "refund_requested", "paid"]);
  assertError(await approve(req.body.refund.id), 409, "invalid_transition");
  assert.equal(await count("SELECT count(*) FROM provider_refunds WHERE refund_id = $1", [req.body.refund.id]), 0);
  assert.deepEqual(await productRow(id), { stock: 9, reserved: 0, sellable: 9, sold: 1 });

  // From shipped: back to shipped, and it can still be shipped-flow confirmed.
  assert.equal(
    (await admin.json("POST", `/api/admin/orders/${o.id}/ship`, { json: { carrier: "SF", trackingNumber: "SF7777" } }))
      .status,
    200,
  );
  const again = await requestRefund(c, o.id, [{ orderItemId: o.items[0].id, quantity: 1 }]);
  assert.equal(again.status, 201);
  assert.equal(
    (await admin.json("POST", `/api/admin/refunds/${again.body.refund.id}/reject`, { json: { reason: "no" } })).status,
    200,
  );
  assert.equal((await getOrder(c, o.id)).status, "shipped");
  assert.equal((await c.json("POST", `/api/orders/${o.id}/confirm-receipt`)).status, 200);
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
