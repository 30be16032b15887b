/**
 * SKUs (规格): products with specification axes and SKUs through the API — shapes, ordering a SKU (and the
 * 400 when it is ambiguous), per-SKU stock under racing buyers and cancels, refunds that restock the SKU
 * sold, the manager's SKU replace, and the cart API. With `DATABASE_URL` set the races really overlap.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import Big from "big.js";
import { createTestApp, type TestClient } from "./helpers.ts";
import { startSession } from "../services/accounts.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import type { OrderView } from "../services/orders.ts";
import type { ProductView } from "../services/catalogue.ts";
import { type PriceLineInput, priceOrder, PricingError } from "../domain/pricing/price_order.ts";
import { DEFAULT_LEVEL_DISCOUNTS, MEMBER_LEVELS } from "../domain/pricing/member_price.ts";
import { sum } from "../domain/money.ts";
import { totalRetries } from "../db/retry.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const address = { name: "王五", phone: "13900001111", line1: "解放路 9 号", city: "南京" };

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type AdminProduct = ProductView & {
  onHand: number;
  reserved: number;
  skus: (ProductView["skus"][number] & { onHand: number; reserved: number; costPrice: string })[];
};

const uid = () => crypto.randomUUID().replaceAll("-", "").slice(0, 10);
const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

async function members(n: number): Promise<{ id: string; client: TestClient }[]> {
  const tag = uid();
  const rows = await app.db.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, referral_code)
     SELECT 's' || g || '-' || $1 || '@example.com', '规格' || g, 'not-a-password-hash', upper($1) || 'S' || g
       FROM generate_series(1, $2::int) g RETURNING id`,
    [tag, n],
  );
  return await Promise.all(rows.map(async (r) => {
    const client = app.client();
    client.cookies.set("sid", (await startSession(app.db, String(r.id))).token);
    return { id: String(r.id), client };
  }));
}

/** A T-shirt with 颜色 × 尺码: red/blue × M/L, `stock` units each, blue costs more. */
async function tshirt(stock = 10): Promise<AdminProduct> {
  const tag = uid(); // SKU codes are unique in the whole shop
  const skus = [["红", "M"], ["红", "L"], ["蓝", "M"], ["蓝", "L"]].map(([color, size], i) => ({
    code: `TS-${tag}-${i}`,
    specs: { 颜色: color, 尺码: size },
    price: color === "蓝" ? "109.00" : "99.00",
    costPrice: "30.00",
    stock,
    lowStockThreshold: 2,
  }));
  const res = await admin.json<{ product: AdminProduct }>("POST", "/api/admin/products", {
    json: { name: `T恤 ${uid()}`, category: "apparel", skus },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product;
}

function order(c: TestClient, items: { productId: string; skuId?: string; quantity: number }[], key = uid()) {
  return c.json<{ order?: OrderView } & Partial<ApiError>>("POST", "/api/orders", {
    json: { items, address },
    headers: { "idempotency-key": key },
  });
}

async function payOrder(c: TestClient, orderId: string) {
  const res = await c.json<{ payment: { id: string; amount: string } }>("POST", `/api/orders/${orderId}/pay`, {
    json: { method: "sandbox" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const raw = JSON.stringify({
    eventId: `ev_${uid()}`,
    paymentId: res.body.payment.id,
    amount: res.body.payment.amount,
    status: "succeeded",
  });
  const hook = await app.client().json("POST", "/api/payments/webhook/sandbox", {
    body: raw,
    headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(raw) },
  });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));
}

async function skuRows(productId: string) {
  return await app.db.query<{ id: string; stock: number; reserved: number; sales_count: number }>(
    "SELECT id::text, stock, reserved, sales_count FROM product_skus WHERE product_id = $1 ORDER BY id",
    [productId],
  );
}

/** Stock invariants of a product: per SKU reserved = units in unpaid orders, on hand = movements; sums match. */
async function assertStockInvariant(productId: string) {
  const skus = await skuRows(productId);
  for (const s of skus) {
    const [{ unpaid, onhand, reserved }] = await app.db.query<{ unpaid: number; onhand: number; reserved: number }>(
      `SELECT (SELECT coalesce(sum(i.quantity), 0)::int FROM order_items i JOIN orders o ON o.id = i.order_id
                WHERE i.sku_id = $1 AND o.status = 'pending_payment') AS unpaid,
              (SELECT coalesce(sum(on_hand_delta), 0)::int FROM stock_movements WHERE sku_id = $1) AS onhand,
              (SELECT coalesce(sum(reserved_delta), 0)::int FROM stock_movements WHERE sku_id = $1) AS reserved`,
      [s.id],
    );
    assert.ok(s.stock >= 0 && s.reserved >= 0 && s.reserved <= s.stock, `SKU ${s.id} within bounds`);
    assert.equal(s.reserved, unpaid, `SKU ${s.id}: reserved = units in unpaid orders`);
    assert.equal(s.stock, onhand, `SKU ${s.id}: on hand = its movements`);
    assert.equal(s.reserved, reserved, `SKU ${s.id}: reserved = its reservation movements`);
  }
  const [p] = await app.db.query<{ stock: number; reserved: number; sales_count: number }>(
    "SELECT stock, reserved, sales_count FROM products WHERE id = $1",
    [productId],
  );
  assert.equal(p.stock, skus.reduce((n, s) => n + s.stock, 0), "product stock = sum over SKUs");
  assert.equal(p.reserved, skus.reduce((n, s) => n + s.reserved, 0), "product reserved = sum over SKUs");
  assert.equal(p.sales_count, skus.reduce((n, s) => n + s.sales_count, 0), "product sales = sum over SKUs");
}

Deno.test("products carry skus, skuAxes and flashSale; stock is the sum and price the lowest SKU", opts, async () => {
  const created = await tshirt(5);
  assert.equal(created.skus.length, 4);
  const res = await app.client().json<{ product: ProductView }>("GET", `/api/products/${created.id}`);
  assert.equal(res.status, 200);
  const p = res.body.product;
  assert.equal(p.stock, 20);
  assert.equal(p.price, "99.00");
  assert.equal(p.flashSale, null);
  assert.deepEqual(p.skuAxes, [{ name: "颜色", values: ["红", "蓝"] }, { name: "尺码", values: ["M", "L"] }]);
  for (const sku of p.skus) {
    assert.deepEqual(
      Object.keys(sku).filter((k) => ["id", "code", "specs", "price", "memberPrice", "stock"].includes(k)).sort(),
      [
        "code",
        "id",
        "memberPrice",
        "price",
        "specs",
        "stock",
      ],
    );
    assert.equal(sku.stock, 5);
  }
  assert.deepEqual(p.skus.map((s) => s.specs), [
    { 颜色: "红", 尺码: "M" },
    { 颜色: "红", 尺码: "L" },
    { 颜色: "蓝", 尺码: "M" },
    { 颜色: "蓝", 尺码: "L" },
  ]);
  assert.deepEqual(p.skus.map((s) => s.price), ["99.00", "99.00", "109.00", "109.00"]);

  // A product made with the single-SKU fields has one SKU with specs {}.
  const single = await admin.json<{ product: ProductView }>("POST", "/api/admin/products", {
    json: {
      name: `杯子 ${uid()}`,
      category: "home",
      price: "39.00",
      costPrice: "9.00",
      stock: 7,
      lowStockThreshold: 1,
    },
  });
  assert.equal(single.status, 201, JSON.stringify(single.body));
  assert.equal(single.body.product.skus.length, 1);
  assert.deepEqual(single.body.product.skus[0].specs, {});
  assert.equal(single.body.product.skus[0].stock, 7);
  assert.deepEqual(single.body.product.skuAxes, []);

  const list = await app.client().json<{ items: ProductView[] }>("GET", `/api/products?q=${encodeURIComponent("T恤")}`);
  assert.ok(list.body.items.some((i) => i.id === created.id && i.skus.length === 4));

  // Neither skus nor single-SKU fields: 400 naming them; SKUs that do not fit the axes: 400 naming them.
  const bare = await admin.json<ApiError>("POST", "/api/admin/products", {
    json: { name: `空 ${uid()}`, category: "home" },
  });
  assert.equal(bare.status, 400);
  assert.ok(bare.body.error.fields?.price && bare.body.error.fields?.stock);
  const clash = await admin.json<ApiError>("POST", "/api/admin/products", {
    json: {
      name: `撞 ${uid()}`,
      category: "home",
      skus: [
        { specs: { 颜色: "红" }, price: "1.00", costPrice: "0.50", stock: 1, lowStockThreshold: 0 },
        { specs: { 颜色: "红" }, price: "1.00", costPrice: "0.50", stock: 1, lowStockThreshold: 0 },
      ],
    },
  });
  assert.equal(clash.status, 400);
  assert.ok(clash.body.error.fields?.["skus.1.specs"], JSON.stringify(clash.body));
});

Deno.test(
  "review13: SKU codes are unique shop-wide (409 naming the clash, and in the database); image paths and prices are checked",
  opts,
  async () => {
    const first = await tshirt(1);
    const taken = first.skus[1].code;
    const sku = (over: Record<string, unknown> = {}) => ({
      specs: {},
      price: "10.00",
      costPrice: "1.00",
      stock: 1,
      lowStockThreshold: 0,
      ...over,
    });
    const create = (skuOver: Record<string, unknown>) =>
      admin.json<ApiError>("POST", "/api/admin/products", {
        json: { name: `码 ${uid()}`, category: "home", skus: [sku(skuOver)] },
      });

    // Another product's SKU code, in any case: 409 naming it, nothing made.
    const products = async () => (await app.db.query("SELECT 1 FROM products")).length;
    const before = await products();
    const clash = await create({ code: taken.toLowerCase() });
    assert.equal(clash.status, 409, JSON.stringify(clash.body));
    assert.match(clash.body.error.fields!["skus.0.code"], new RegExp(`${taken}.*${first.id}`));
    assert.equal(await products(), before);
    // The same through PUT /skus of another product.
    const own = await create({ code: `OWN-${uid()}` });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const ownId = (own.body as unknown as { product: AdminProduct }).product.id;
    const put = await admin.json<ApiError>("PUT", `/api/admin/products/${ownId}/skus`, {
      json: { skus: [sku({ code: taken })] },
    });
    assert.equal(put.status, 409);
    assert.ok(put.body.error.fields!["skus.0.code"]);
    // The database refuses it too (migration 0028).
    await assert.rejects(
      app.db.query(
        `INSERT INTO product_skus (product_id, code, specs, price, cost_price) VALUES ($1, $2, '{"x":"y"}', 1, 1)`,
        [ownId, taken.toLowerCase()],
      ),
    );

    // SKU pictures: same-site paths only (a single "/" then neither "/" nor "\\").
    for (const bad of ["/\\evil.example/x.png", "//evil.example/x.png", "https://evil.example/x.png", "/", "x.png"]) {
      const res = await create({ imageUrl: bad });
      assert.equal(res.status, 400, bad);
      assert.ok(res.body.error.fields!["skus.0.imageUrl"], bad);
    }
    assert.equal((await create({ imageUrl: `/images/products/${first.id}.svg` })).status, 201);

    // Prices: above 0 and at most 1,000,000.00 per unit (cost may be 0); 400 with the field.
    for (
      const [price, costPrice] of [["0", "0.00"], ["0.00", "0.00"], ["9999999999999999.99", "1.00"], [
        "1.00",
        "1000000.01",
      ]]
    ) {
      const res = await create({ price, costPrice });
      assert.equal(res.status, 400, `${price} / ${costPrice}`);
      assert.ok(res.body.error.fields!["skus.0.price"] ?? res.body.error.fields!["skus.0.costPrice"]);
    }
    assert.equal((await create({ price: "1000000.00", costPrice: "0" })).status, 201);
    const single = await admin.json<ApiError>("POST", "/api/admin/products", {
      json: {
        name: `贵 ${uid()}`,
        category: "home",
        price: "9999999999999999.99",
        costPrice: "1.00",
        stock: 1,
        lowStockThreshold: 0,
      },
    });
    assert.equal(single.status, 400);
    assert.match(single.body.error.fields!.price, /1000000\.00/);
    const patched = await admin.json<ApiError>("PATCH", `/api/admin/products/${ownId}`, { json: { price: "0" } });
    assert.equal(patched.status, 400);
    assert.ok(patched.body.error.fields!.price);
  },
);

Deno.test(
  "a new product whose generated SKU code a manager already gave another SKU gets the next free code, not a 500",
  opts,
  async () => {
    const simple = (name: string) =>
      admin.json<{ product: AdminProduct }>("POST", "/api/admin/products", {
        json: { name, category: "home", price: "10.00", costPrice: "1.00", stock: 1, lowStockThreshold: 0 },
      });
    const first = await simple(`先 ${uid()}`);
    assert.equal(first.status, 201);
    // The next products' would-be codes, taken by hand (in another case) on the first product's SKU…
    const [{ next }] = await app.db.query<{ next: string }>(
      "SELECT (max(id) + 1)::text AS next FROM products",
    );
    const put = await admin.json("PUT", `/api/admin/products/${first.body.product.id}/skus`, {
      json: {
        skus: [{ specs: {}, code: `p${next}`, price: "10.00", costPrice: "1.00", stock: 1, lowStockThreshold: 0 }],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // …and by the database directly for its first fallback too.
    await app.db.query(
      `INSERT INTO product_skus (product_id, code, specs, price, cost_price) VALUES ($1, $2, '{"x":"y"}', 1, 1)`,
      [first.body.product.id, `P${next}-2`],
    );
    const second = await simple(`后 ${uid()}`);
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const code = second.body.product.skus[0].code;
    if (second.body.product.id === next) assert.equal(code, `P${next}-3`);
    const codes = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM product_skus WHERE archived_at IS NULL AND lower(code) = lower($1)",
      [code],
    );
    assert.equal(codes[0].n, 1);
  },
);

Deno.test(
  "orders name a SKU: ambiguous or foreign skuId is 400 with fields; lines carry skuId and specs",
  opts,
  async () => {
    const p = await tshirt(10);
    const [buyer] = await members(1);
    const ambiguous = await order(buyer.client, [{ productId: p.id, quantity: 1 }]);
    assert.equal(ambiguous.status, 400);
    assert.equal(ambiguous.body.error?.code, "invalid_input");
    assert.ok(ambiguous.body.error?.fields?.["items.0.skuId"], JSON.stringify(ambiguous.body));

    const other = await tshirt(1);
    const foreign = await order(buyer.client, [{ productId: p.id, skuId: other.skus[0].id, quantity: 1 }]);
    assert.equal(foreign.status, 400);
    assert.ok(foreign.body.error?.fields?.["items.0.skuId"]);
    assert.equal((await skuRows(p.id)).reduce((n, s) => n + s.reserved, 0), 0, "nothing reserved");

    const blueL = p.skus[3];
    const ok = await order(buyer.client, [
      { productId: p.id, skuId: blueL.id, quantity: 2 },
      { productId: p.id, skuId: p.skus[0].id, quantity: 1 },
    ]);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const lines = ok.body.order!.items as (OrderView["items"][number])[];
    assert.equal(lines.length, 2);
    const blue = lines.find((l) => l.skuId === blueL.id)!;
    assert.deepEqual(blue.specs, { 颜色: "蓝", 尺码: "L" });
    assert.equal(blue.unitPrice, "109.00");
    assert.equal(ok.body.order!.subtotal, "317.00");
    const rows = await skuRows(p.id);
    assert.equal(rows.find((r) => r.id === blueL.id)!.reserved, 2);
    assert.equal(rows.find((r) => r.id === p.skus[0].id)!.reserved, 1);
    await assertStockInvariant(p.id);

    // Too many of one SKU is out_of_stock even though the product as a whole has enough.
    const tooMany = await order(buyer.client, [{ productId: p.id, skuId: blueL.id, quantity: 9 }]);
    assert.equal(tooMany.status, 409);
    assert.equal(tooMany.body.error?.code, "out_of_stock");
  },
);

Deno.test(
  "30 buyers race two SKUs of one product with cancels: per-SKU stock never negative, invariants hold",
  opts,
  async () => {
    const p = await tshirt(12);
    const [a, b] = [p.skus[0], p.skus[2]];
    const buyers = await members(30);
    const results = await Promise.all(buyers.map(async (buyer, i) => {
      const sku = i % 2 ? a : b;
      const res = await order(buyer.client, [
        { productId: p.id, skuId: sku.id, quantity: 1 + (i % 3) },
        ...(i % 5 === 0 ? [{ productId: p.id, skuId: (i % 2 ? b : a).id, quantity: 1 }] : []),
      ]);
      if (res.status === 201 && i % 4 === 0) {
        const cancel = await buyer.client.json("POST", `/api/orders/${res.body.order!.id}/cancel`);
        assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
      }
      return res.status;
    }));
    for (const s of results) assert.ok(s === 201 || s === 409, `status ${s}`);
    assert.ok(results.includes(201) && results.includes(409), JSON.stringify(results));
    for (const row of await skuRows(p.id)) assert.ok(row.stock - row.reserved >= 0);
    await assertStockInvariant(p.id);
  },
);

Deno.test(
  "one hot SKU and two-SKU orders in both orders, paid and cancelled at once: no deadlock, so no retry",
  opts,
  async () => {
    const p = await tshirt(1_000);
    const [a, b] = [p.skus[0], p.skus[3]];
    const buyers = await members(16);
    const before = totalRetries();
    const results = await Promise.all(buyers.map(async (buyer, i) => {
      const statuses: number[] = [];
      for (let round = 0; round < 8; round++) {
        const items = i % 4 === 0
          ? [{ productId: p.id, skuId: a.id, quantity: 1 }, { productId: p.id, skuId: b.id, quantity: 1 }]
          : i % 4 === 1
          ? [{ productId: p.id, skuId: b.id, quantity: 1 }, { productId: p.id, skuId: a.id, quantity: 1 }]
          : [{ productId: p.id, skuId: a.id, quantity: 1 }];
        const res = await order(buyer.client, items);
        statuses.push(res.status);
        if (res.status !== 201) continue;
        if (round === 1) {
          statuses.push((await buyer.client.json("POST", `/api/orders/${res.body.order!.id}/cancel`)).status);
        } else await payOrder(buyer.client, res.body.order!.id);
      }
      return statuses;
    }));
    assert.ok(results.flat().every((s) => s === 201 || s === 200), JSON.stringify(results));
    assert.equal(totalRetries() - before, 0, "a deadlock or serialization failure was retried");
    await assertStockInvariant(p.id);
  },
);

Deno.test("a refund restocks the SKU it sold, not another", opts, async () => {
  const p = await tshirt(10);
  const [buyer] = await members(1);
  const res = await order(buyer.client, [
    { productId: p.id, skuId: p.skus[1].id, quantity: 2 },
    { productId: p.id, skuId: p.skus[2].id, quantity: 1 },
  ]);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await payOrder(buyer.client, res.body.order!.id);
  let rows = await skuRows(p.id);
  assert.deepEqual(rows.map((r) => [r.stock, r.reserved, r.sales_count]), [[10, 0, 0], [8, 0, 2], [9, 0, 1], [
    10,
    0,
    0,
  ]]);
  const line = res.body.order!.items.find((i) => i.skuId === p.skus[1].id)!;
  const refund = await buyer.client.json<{ refund: { id: string } }>(
    "POST",
    `/api/orders/${res.body.order!.id}/refunds`,
    { json: { items: [{ orderItemId: line.id, quantity: 1 }], reason: "尺码不合适" } },
  );
  assert.equal(refund.status, 201, JSON.stringify(refund.body));
  const approved = await admin.json("POST", `/api/admin/refunds/${refund.body.refund.id}/approve`);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  rows = await skuRows(p.id);
  assert.deepEqual(rows.map((r) => r.stock), [10, 9, 9, 10], "only the refunded SKU came back");
  const [moved] = await app.db.query<{ sku_id: string }>(
    "SELECT sku_id::text FROM stock_movements WHERE order_id = $1 AND reason = 'refund_return'",
    [res.body.order!.id],
  );
  assert.equal(moved.sku_id, p.skus[1].id);
  await assertStockInvariant(p.id);
});

Deno.test(
  "PUT /api/admin/products/:id/skus replaces axes and SKUs, audited; reserved SKUs cannot go",
  opts,
  async () => {
    const p = await tshirt(4);
    const [buyer] = await members(1);
    const held = await order(buyer.client, [{ productId: p.id, skuId: p.skus[3].id, quantity: 1 }]);
    assert.equal(held.status, 201);

    const keep = p.skus.slice(0, 3).map((s, i) => ({
      id: s.id,
      code: `NEW-${i}`,
      specs: s.specs,
      price: "88.00",
      costPrice: "20.00",
      stock: 6,
      lowStockThreshold: 1,
    }));
    const refused = await admin.json<ApiError>("PUT", `/api/admin/products/${p.id}/skus`, { json: { skus: keep } });
    assert.equal(refused.status, 409, "the blue L is held by an unpaid order");

    const green = {
      code: "G-M",
      specs: { 颜色: "绿", 尺码: "M" },
      price: "79.00",
      costPrice: "20.00",
      stock: 3,
      lowStockThreshold: 1,
    };
    const blueL = {
      id: p.skus[3].id,
      code: p.skus[3].code,
      specs: p.skus[3].specs,
      price: "109.00",
      costPrice: "30.00",
      stock: 1,
      lowStockThreshold: 0,
    };
    const res = await admin.json<{ product: AdminProduct }>("PUT", `/api/admin/products/${p.id}/skus`, {
      json: { skus: [...keep.slice(0, 2), blueL, green] },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const after = res.body.product;
    assert.deepEqual(after.skus.map((s) => s.code), ["NEW-0", "NEW-1", p.skus[3].code, "G-M"]);
    assert.equal(after.price, "79.00", "the lowest SKU price");
    assert.equal(after.onHand, 6 + 6 + 1 + 3);
    assert.equal(after.reserved, 1);
    assert.deepEqual(after.skuAxes, [{ name: "颜色", values: ["红", "蓝", "绿"] }, {
      name: "尺码",
      values: ["M", "L"],
    }]);
    const [archived] = await app.db.query<{ archived_at: Date | null; stock: number }>(
      "SELECT archived_at, stock FROM product_skus WHERE id = $1",
      [p.skus[2].id],
    );
    assert.ok(archived === undefined || (archived.archived_at !== null && archived.stock === 0), "the blue M went");
    const [audit] = await app.db.query<{ before: { skus: unknown[] }; after: { skus: unknown[] } }>(
      "SELECT before, after FROM audit_log WHERE action = 'product.skus_replace' AND target = $1",
      [`product:${p.id}`],
    );
    assert.equal(audit.before.skus.length, 4);
    assert.equal(audit.after.skus.length, 4);
    await assertStockInvariant(p.id);

    // Below the reserved units: 409 naming the SKU's stock; bad specs: 400 naming the SKU.
    const below = await admin.json<ApiError>("PUT", `/api/admin/products/${p.id}/skus`, {
      json: { skus: [...keep.slice(0, 2), { ...blueL, stock: 0 }, green] },
    });
    assert.equal(below.status, 409);
    assert.ok(below.body.error.fields?.["skus.2.stock"]);
    const bad = await admin.json<ApiError>("PUT", `/api/admin/products/${p.id}/skus`, {
      json: { skus: [keep[0], { ...green, specs: { 颜色: "绿" } }] },
    });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields?.["skus.1.specs"], JSON.stringify(bad.body));

    // The single-SKU PATCH fields are refused on a product with several SKUs.
    const patch = await admin.json<ApiError>("PATCH", `/api/admin/products/${p.id}`, { json: { stock: 50 } });
    assert.equal(patch.status, 400);
    assert.ok(patch.body.error.fields?.stock);
  },
);

Deno.test("GET/PUT /api/cart: lines per SKU priced as checkout prices them; ambiguous lines 400", opts, async () => {
  const p = await tshirt(10);
  const [buyer] = await members(1);
  const ambiguous = await buyer.client.json<ApiError>("PUT", "/api/cart", {
    json: { items: [{ productId: p.id, quantity: 1 }] },
  });
  assert.equal(ambiguous.status, 400);
  assert.ok(ambiguous.body.error.fields?.["items.0.skuId"]);
  type Cart = {
    items: { productId: string; skuId: string; quantity: number; unitPrice: string; lineTotal: string }[];
    subtotal: string;
  };
  const put = await buyer.client.json<Cart>("PUT", "/api/cart", {
    json: {
      items: [
        { productId: p.id, skuId: p.skus[0].id, quantity: 2 },
        { productId: p.id, skuId: p.skus[3].id, quantity: 1 },
      ],
    },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.items.length, 2);
  assert.equal(put.body.subtotal, "307.00");
  const got = await buyer.client.json<Cart>("GET", "/api/cart");
  assert.deepEqual(
    got.body.items.map((i) => [i.skuId, i.quantity, i.unitPrice, i.lineTotal]),
    [[p.skus[0].id, 2, "99.00", "198.00"], [p.skus[3].id, 1, "109.00", "109.00"]],
  );
  const removed = await buyer.client.json<Cart>("PUT", "/api/cart", {
    json: { items: [{ productId: p.id, skuId: p.skus[0].id, quantity: 0 }] },
  });
  assert.deepEqual(removed.body.items.map((i) => i.skuId), [p.skus[3].id]);

  // More than the SKU has: the line says it cannot be bought as it is, and problems says why, in the reader's language.
  type Flagged = { items: { skuId: string; available: boolean; stock: number }[]; problems: Record<string, string> };
  const over = await buyer.client.json<Flagged>("PUT", "/api/cart", {
    json: { items: [{ productId: p.id, skuId: p.skus[3].id, quantity: 11 }] },
    headers: { "accept-language": "zh-CN" },
  });
  assert.equal(over.status, 200);
  assert.deepEqual(over.body.items.map((i) => [i.available, i.stock]), [[false, 10]]);
  assert.match(over.body.problems.items ?? "", /10/);
  const fine = await buyer.client.json<Flagged>("PUT", "/api/cart", {
    json: { items: [{ productId: p.id, skuId: p.skus[3].id, quantity: 10 }] },
  });
  assert.deepEqual(fine.body.items.map((i) => i.available), [true]);
  assert.deepEqual(fine.body.problems, {});

  // A visitor's cart lives in a cookie, per SKU too.
  const visitor = app.client();
  const v = await visitor.json<Cart>("PUT", "/api/cart", {
    json: { items: [{ productId: p.id, skuId: p.skus[1].id, quantity: 3 }] },
  });
  assert.equal(v.status, 200);
  assert.equal((await visitor.json<Cart>("GET", "/api/cart")).body.items[0].quantity, 3);
});

Deno.test("priceOrder() with several SKU lines of one product: lines and shipping sum exactly to the total", () => {
  const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => new Big(c).div(100).toFixed(2));
  const line: fc.Arbitrary<PriceLineInput> = fc.record({
    productId: fc.constantFrom("1", "2", "3"),
    skuId: fc.constantFrom("11", "12", "13", "21", "31"),
    categoryId: fc.constantFrom("5", "6"),
    listPrice: cents(1, 500_000),
    quantity: fc.integer({ min: 1, max: 20 }),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(line, { minLength: 1, maxLength: 8, selector: (l) => l.skuId }),
      fc.constantFrom(null, ...MEMBER_LEVELS),
      fc.integer({ min: 0, max: 100_000 }),
      fc.option(fc.record({ value: cents(1, 30_000), productIds: fc.subarray(["1", "2", "3"]) }), { nil: null }),
      (lines, level, points, coupon) => {
        let price;
        try {
          price = priceOrder({
            lines,
            level,
            coupon: coupon
              ? {
                code: "C",
                kind: "amount_off",
                value: coupon.value,
                minSubtotal: null,
                startsAt: null,
                endsAt: null,
                newMembersOnly: false,
                productIds: coupon.productIds,
                categoryIds: [],
                perMemberLimit: null,
                usedByMember: 0,
              }
              : null,
            isNewMember: true,
            pointsToUse: points,
            pointsBalance: 100_000,
            now: new Date("2026-12-01T00:00:00Z"),
            settings: {
              levelDiscounts: DEFAULT_LEVEL_DISCOUNTS,
              pointValue: "0.01",
              pointsMaxShare: "0.5",
              shippingFee: "10.00",
              freeShippingOver: "99.00",
            },
          });
        } catch (err) {
          if (err instanceof PricingError && err.field === "couponCode") return; // a coupon that does not apply
          throw err;
        }
        assert.deepEqual(price.lines.map((l) => l.skuId), lines.map((l) => l.skuId));
        assert.ok(sum(price.lines.map((l) => l.total)).plus(price.shipping).eq(price.total));
        assert.ok(sum(price.lines.map((l) => l.subtotal)).eq(price.subtotal));
        assert.ok(sum(price.lines.map((l) => l.discount)).eq(price.discount));
        assert.ok(sum(price.lines.map((l) => l.pointsDiscount)).eq(price.pointsDiscount));
        for (const l of price.lines) assert.ok(l.total.gte(0));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("SKU low-stock events name the SKU", opts, async () => {
  const p = await tshirt(3);
  const [buyer] = await members(1);
  const res = await order(buyer.client, [{ productId: p.id, skuId: p.skus[1].id, quantity: 1 }]);
  assert.equal(res.status, 201);
  const events = await app.db.query<{ data: { productId: string; skuId: string; stock: number } }>(
    "SELECT data FROM events WHERE type = 'stock_low' AND data->>'productId' = $1",
    [p.id],
  );
  assert.equal(events.length, 1);
  assert.equal(events[0].data.skuId, p.skus[1].id);
  assert.equal(events[0].data.stock, 2);
});

Deno.test(
  "pages: the picker on the product page, spec.<axis> posts without script, specs in the cart, the SKU editor",
  opts,
  async () => {
    const p = await tshirt(4);
    const visitor = app.client();
    const page = await visitor.request("GET", `/products/${p.id}`);
    const html = await page.text();
    assert.match(html, /data-testid="sku-picker"/);
    assert.match(html, /name="spec\.颜色"/);
    // Without a SKU the shopper is sent back to choose; with the axes' values the SKU is found.
    const none = await visitor.form("/cart/set", { productId: p.id, quantity: "1", mode: "add" }, `/products/${p.id}`);
    assert.equal(none.status, 303);
    assert.match(none.headers.get("location") ?? "", new RegExp(`/products/${p.id}`));
    const chosen = await visitor.form("/cart/set", {
      productId: p.id,
      quantity: "2",
      mode: "add",
      "spec.颜色": "蓝",
      "spec.尺码": "M",
    }, `/products/${p.id}`);
    assert.equal(chosen.headers.get("location"), "/cart");
    const byId = await visitor.form("/cart/set", { productId: p.id, skuId: p.skus[1].id, quantity: "1", mode: "add" });
    assert.equal(byId.headers.get("location"), "/cart");
    const cart = await (await visitor.request("GET", "/cart")).text();
    assert.match(cart, /蓝 \/ M|M \/ 蓝/);
    assert.match(cart, /红 \/ L|L \/ 红/);
    assert.match(cart, /¥109\.00/);

    // The manager's editor: a new axis value adds combinations, saved as a SKU replace.
    const editor = await (await admin.request("GET", `/admin/products/${p.id}/edit`)).text();
    assert.match(editor, /data-testid="sku-editor"/);
    assert.match(editor, /id="skus"/);
    // The catalogue list: a product with several SKUs links to its SKU table instead of one stock and price box.
    const list = await (await admin.request("GET", `/admin/products?q=${encodeURIComponent(p.name)}`)).text();
    assert.match(list, new RegExp(`href="/admin/products/${p.id}/edit#skus" data-testid="edit-skus"`));
    assert.doesNotMatch(list, /name="stock"[^>]*size="5"/, "no single stock box in its row");
    const fields: Record<string, string> = { axes: "颜色: 红, 蓝, 白\n尺码: M, L" };
    p.skus.forEach((s, i) => {
      Object.assign(fields, {
        [`row.${i}.id`]: s.id,
        [`row.${i}.specs`]: JSON.stringify(s.specs),
        [`row.${i}.code`]: `ED-${i}`,
        [`row.${i}.price`]: "120.00",
        [`row.${i}.costPrice`]: "30.00",
        [`row.${i}.stock`]: "5",
        [`row.${i}.lowStockThreshold`]: "1",
        [`row.${i}.imageUrl`]: "",
      });
    });
    // A negative stock is refused as negative, named as the editor's reader knows the row (1-based), not "required".
    const negative = await admin.form(
      `/admin/products/${p.id}/skus`,
      { ...fields, "row.1.stock": "-5" },
      `/admin/products/${p.id}/edit`,
    );
    assert.equal(negative.status, 400);
    const said = await negative.text();
    assert.match(said, /第 2 个 SKU 的库存/);
    assert.doesNotMatch(said, /skus\.1\.stock|必填/);
    const saved = await admin.form(`/admin/products/${p.id}/skus`, fields, `/admin/products/${p.id}/edit`);
    assert.equal(saved.status, 303, await saved.text());
    const [row] = await app.db.query<{ n: number; stock: number }>(
      "SELECT count(*)::int AS n, sum(stock)::int AS stock FROM product_skus WHERE product_id = $1 AND archived_at IS NULL",
      [p.id],
    );
    assert.deepEqual(row, { n: 6, stock: 20 }, "four kept with 5 each, two white ones new with none");
    await assertStockInvariant(p.id);
  },
);

Deno.test(
  "the SKU export re-imports as products with SKUs; bad SKU rows name their line and column",
  opts,
  async () => {
    const p = await tshirt(3);
    const res = await admin.request("GET", "/admin/product-skus.csv");
    assert.equal(res.status, 200);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer()).replace(/^\uFEFF/, "");
    const lines = text.trim().split(/\r?\n/);
    assert.match(lines[0], /restockLeadDays,skuCode,specs,reserved$/);
    const mine = lines.filter((l) => l.startsWith(p.name));
    assert.equal(mine.length, 4);
    assert.ok(mine.some((l) => l.includes("颜色=蓝;尺码=L") || l.includes("尺码=L;颜色=蓝")));
    const renamed = [lines[0], ...mine.map((l) => l.replace(p.name, `${p.name} 复制`))].join("\n");
    const upload = (body: string) =>
      admin.json<{ imported?: number } & Partial<ApiError>>("POST", "/api/admin/products/import", {
        body,
        headers: { "content-type": "text/csv" },
      });
    // SKU codes are unique in the shop: the copy needs codes of its own (review13).
    const taken = await upload(renamed);
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.match(taken.body.error!.message, new RegExp(`TS-.* ${p.id}`));
    const ok = await upload(renamed.replaceAll(",TS-", ",TSC-"));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const [copy] = await app.db.query<{ id: string; n: number; stock: number }>(
      `SELECT p.id, count(s.*)::int AS n, p.stock FROM products p JOIN product_skus s ON s.product_id = p.id
      WHERE p.name = $1 AND s.archived_at IS NULL GROUP BY p.id`,
      [`${p.name} 复制`],
    );
    assert.deepEqual({ n: copy.n, stock: copy.stock }, { n: 4, stock: 12 });
    await assertStockInvariant(copy.id);

    const clash = [
      lines[0],
      ...mine.slice(0, 2).map((l) => l.replace(p.name, `${p.name} 撞`).replace(/尺码=L/, "尺码=M")),
    ]
      .join("\n");
    const bad = await upload(clash);
    assert.equal(bad.status, 400);
    assert.ok(Object.values(bad.body.error!.fields ?? {}).some((v) => /^specs: /.test(v)), JSON.stringify(bad.body));
  },
);

Deno.test("cleanup", opts, async () => {
  await app.close();
});
