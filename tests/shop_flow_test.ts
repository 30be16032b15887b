import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { expirePoints, type OrderView } from "../services/orders.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const address = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海" };

async function manager(): Promise<TestClient> {
  const c = app.client();
  assert.equal((await c.login("admin@test.example", "admin-password-1")).status, 200);
  return c;
}

async function product(admin: TestClient, stock = 10, price = "100.00") {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name: `测试面霜 ${crypto.randomUUID().slice(0, 4)}`,
      category: "beauty",
      price,
      costPrice: "40.00",
      stock,
      lowStockThreshold: 2,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function webhook(body: Record<string, unknown>, sign = true) {
  const raw = JSON.stringify(body);
  const c = app.client();
  return await c.json("POST", "/api/payments/webhook/sandbox", {
    body: raw,
    headers: {
      "content-type": "application/json",
      "x-sandbox-signature": sign ? await sandbox.sign(raw) : "sha256=00",
    },
  });
}

Deno.test("order → pay → webhook → paid → ship → receipt, with the timeline", opts, async () => {
  const admin = await manager();
  const pid = await product(admin, 10, "100.00");
  const buyer = app.client();
  await buyer.register(`b-${crypto.randomUUID()}@example.com`, "Buyer");
  const created = await buyer.json<{ order: OrderView }>("POST", "/api/orders", {
    json: { items: [{ productId: pid, quantity: 2 }], address },
    headers: { "idempotency-key": "k1" },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const order = created.body.order;
  assert.equal(order.status, "pending_payment");
  assert.equal(order.subtotal, "200.00");
  assert.equal(order.shipping, "0.00");
  assert.equal(order.total, "200.00");
  const stock = await app.client().json<{ product: { stock: number } }>("GET", `/api/products/${pid}`);
  assert.equal(stock.body.product.stock, 8);

  const pay = await buyer.json<{ payment: { id: string; status: string; amount: string } }>(
    "POST",
    `/api/orders/${order.id}/pay`,
    {
      json: { method: "sandbox" },
    },
  );
  assert.equal(pay.status, 200);
  assert.equal(pay.body.payment.status, "pending");
  assert.equal(pay.body.payment.amount, "200.00");
  // Pay is the current checkout step on the unpaid order and on the payment page.
  for (const path of [`/orders/${order.id}`, `/sandbox/pay/${pay.body.payment.id}`]) {
    const html = await (await buyer.request("GET", path)).text();
    assert.match(html, /<li class="active" aria-current="step"><span class="step-no">3<\/span>/, path);
  }

  assert.equal(
    (await webhook({ eventId: "e-bad", paymentId: pay.body.payment.id, amount: "200.00", status: "succeeded" }, false))
      .status,
    401,
  );
  const mismatch = await webhook({
    eventId: "e-0",
    paymentId: pay.body.payment.id,
    amount: "1.00",
    status: "succeeded",
  });
  assert.equal(mismatch.status, 422);
  assert.equal((mismatch.body as { error: { code: string } }).error.code, "amount_mismatch");
  const ok = await webhook({ eventId: "e-1", paymentId: pay.body.payment.id, amount: "200.00", status: "succeeded" });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const again = await webhook({
    eventId: "e-1",
    paymentId: pay.body.payment.id,
    amount: "200.00",
    status: "succeeded",
  });
  assert.equal(again.status, 200);
  const paid = await buyer.json<{ order: OrderView }>("GET", `/api/orders/${order.id}`);
  assert.equal(paid.body.order.status, "paid");
  assert.doesNotMatch(await (await buyer.request("GET", `/orders/${order.id}`)).text(), /class="steps"/);
  const list = await (await admin.request("GET", "/admin/orders?status=paid")).text();
  assert.match(list, /<span class="status status-paid">已付款<\/span>/);

  const ship = await admin.json<{ order: OrderView }>("POST", `/api/admin/orders/${order.id}/ship`, {
    json: { carrier: "SF", trackingNumber: "SF123456789" },
  });
  assert.equal(ship.status, 200, JSON.stringify(ship.body));
  assert.equal(ship.body.order.status, "shipped");
  const receipt = await buyer.json<{ order: OrderView }>("POST", `/api/orders/${order.id}/confirm-receipt`);
  assert.equal(receipt.body.order.status, "delivered");
  assert.deepEqual(receipt.body.order.timeline.map((t) => t.status), [
    "pending_payment",
    "paid",
    "shipped",
    "delivered",
  ]);

  const refund = await buyer.json<{ refund: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${order.id}/refunds`,
    {
      // A return (退货退款): the goods come back, so the stock does too.
      json: { kind: "return_refund", items: [{ orderItemId: order.items[0].id, quantity: 1 }], reason: "太大了" },
    },
  );
  assert.equal(refund.status, 201, JSON.stringify(refund.body));
  assert.equal(refund.body.refund.amount, "100.00");
  const approved = await admin.json<{ refund: { id: string; amount: string } }>(
    "POST",
    `/api/admin/refunds/${refund.body.refund.id}/approve`,
  );
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const after = await buyer.json<{ order: OrderView }>("GET", `/api/orders/${order.id}`);
  assert.equal(after.body.order.status, "partially_refunded");
  const back = await app.client().json<{ product: { stock: number } }>("GET", `/api/products/${pid}`);
  assert.equal(back.body.product.stock, 9);
});

Deno.test("points earned long ago expire, with a ledger line, and never below what was spent", opts, async () => {
  const buyer = app.client();
  const user = await buyer.register(`p-${crypto.randomUUID()}@example.com`, "Points");
  await app.db.query("UPDATE users SET points_balance = 150 WHERE id = $1", [user.id]);
  await app.db.query(
    `INSERT INTO points_ledger (user_id, delta, reason, expires_at) VALUES ($1, 100, 'earn', now() - interval '1 day'),
       ($1, 80, 'earn', now() + interval '300 days'), ($1, -30, 'spend', NULL)`,
    [user.id],
  );
  assert.equal(await expirePoints(app.shop), 70);
  const [row] = await app.db.query<{ points_balance: number }>("SELECT points_balance FROM users WHERE id = $1", [
    user.id,
  ]);
  assert.equal(row.points_balance, 80);
  assert.equal(await expirePoints(app.shop), 0, "expiring again does nothing");
});

Deno.test("bulk shipping from CSV is all or nothing, naming each bad line (an order twice, too)", opts, async () => {
  const admin = await manager();
  const pid = await product(admin, 10, "50.00");
  const buyer = app.client();
  await buyer.register(`bulk-${crypto.randomUUID()}@example.com`, "Bulk");
  const numbers: string[] = [];
  for (const key of ["b1", "b2"]) {
    const created = await buyer.json<{ order: OrderView }>("POST", "/api/orders", {
      json: { items: [{ productId: pid, quantity: 1 }], address },
      headers: { "idempotency-key": key },
    });
    const pay = await buyer.json<{ payment: { id: string; amount: string } }>(
      "POST",
      `/api/orders/${created.body.order.id}/pay`,
      {
        json: { method: "sandbox" },
      },
    );
    assert.equal(
      (await webhook({
        eventId: `ev-${key}`,
        paymentId: pay.body.payment.id,
        amount: pay.body.payment.amount,
        status: "succeeded",
      })).status,
      200,
    );
    numbers.push(created.body.order.number);
  }
  await admin.request("GET", "/admin/orders");
  const send = async (csv: string) => {
    const form = new FormData();
    form.set("_csrf", admin.cookies.get("csrf")!);
    form.set("file", new File([csv], "ship.csv", { type: "text/csv" }));
    const res = await admin.request("POST", "/admin/orders/ship-csv", { body: form });
    return { status: res.status, html: await res.text() };
  };
  const bad = await send(`number,carrier,trackingNumber\n${numbers[0]},SF,SF1234567\nNOPE,SF,SF7654321\n`);
  assert.equal(bad.status, 400);
  assert.match(bad.html, /line 3/);
  const shippedNone = await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM orders WHERE number = ANY(string_to_array($1, ',')) AND status = 'shipped'",
    [numbers.join(",")],
  );
  assert.equal(shippedNone[0].n, 0);
  // The same order twice in one file would ship it twice: the whole file is refused, naming both lines.
  const twice = await send(
    `number,carrier,trackingNumber\n${numbers[0]},SF,SF1234567\n${numbers[1]},YTO,YT7654321\n${
      numbers[0]
    },SF,SF1234567\n`,
  );
  assert.equal(twice.status, 400);
  assert.match(twice.html, /line 2: order &quot;[^&]+&quot; is on more than one line \(lines 2, 4\)/);
  assert.match(twice.html, /line 4: order/);
  assert.doesNotMatch(twice.html, /line 3/, "the other line is fine");
  assert.equal(
    (await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders WHERE number = ANY(string_to_array($1, ',')) AND status = 'shipped'",
      [numbers.join(",")],
    ))[0].n,
    0,
    "nothing was shipped",
  );
  // A body that is not a readable multipart form is a clear 400, not a 500.
  const malformed = await admin.request("POST", "/admin/orders/ship-csv", {
    body: "--nope\r\ngarbage without headers",
    headers: { "content-type": "multipart/form-data; boundary=zzz" },
  });
  assert.equal(malformed.status, 400);
  assert.match(await malformed.text(), /无法读取上传的内容/);
  const huge = new FormData();
  huge.set("_csrf", admin.cookies.get("csrf")!);
  huge.set("file", new File([new Uint8Array(2 * 1024 * 1024).fill(65)], "ship.csv", { type: "text/csv" }));
  const tooBig = await admin.request("POST", "/admin/orders/ship-csv", { body: huge });
  assert.equal(tooBig.status, 400);
  assert.match(await tooBig.text(), /文件过大（上限 1 MB）/);

  const ok = await send(`number,carrier,trackingNumber\n${numbers[0]},SF,SF1234567\n${numbers[1]},YTO,YT7654321\n`);
  assert.equal(ok.status, 200);
  assert.match(ok.html, /<p class="alert" role="status"[^>]*>已发货 2 单。<\/p>/, "success is a status message");
  assert.doesNotMatch(ok.html, /alert-error/, "not the red error banner");
  const shipped = await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM orders WHERE number = ANY(string_to_array($1, ',')) AND status = 'shipped'",
    [numbers.join(",")],
  );
  assert.equal(shipped[0].n, 2);
  const [{ n: entries }] = await app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM order_transitions t JOIN orders o ON o.id = t.order_id
    WHERE o.number = ANY(string_to_array($1, ',')) AND t.to_status = 'shipped'`,
    [numbers.join(",")],
  );
  assert.equal(entries, 2, "one shipped entry on each order's timeline");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
