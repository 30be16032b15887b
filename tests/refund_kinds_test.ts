import assert from "node:assert/strict";
import { buyAndPay, createTestApp, type TestClient } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const upline = app.client();
const uplineUser = await upline.register(`up-${crypto.randomUUID().slice(0, 6)}@example.com`, "上级");
const buyer = app.client();
await buyer.register(`buyer-${crypto.randomUUID().slice(0, 6)}@example.com`, "买家", {
  referralCode: uplineUser.referralCode,
});

interface Order {
  id: string;
  status: string;
  items: { id: string; refundedQuantity: number }[];
  timeline: { status: string; note: string | null }[];
}

async function product(): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name: `商品 ${crypto.randomUUID().slice(0, 4)}`,
      category: "beauty",
      price: "100.00",
      costPrice: "10.00",
      stock: 50,
      lowStockThreshold: 1,
    },
  });
  assert.equal(res.status, 201);
  return res.body.product.id;
}

async function stock(productId: string): Promise<number> {
  return (await admin.json<{ product: { stock: number } }>("GET", `/api/products/${productId}`)).body.product.stock;
}

async function commissions(): Promise<Record<string, string>> {
  return (await upline.json<{ totals: Record<string, string> }>("GET", "/api/me/commissions")).body.totals;
}

async function refunded(orderId: string): Promise<string> {
  const [row] = await app.db.query<{ total: string }>(
    `SELECT coalesce(sum(pr.amount), 0)::numeric(20,2)::text AS total FROM provider_refunds pr
       JOIN payments p ON p.id = pr.payment_id WHERE p.order_id = $1`,
    [orderId],
  );
  return row.total;
}

/** The order as a zh-CN reader gets it. */
async function order(client: TestClient, id: string): Promise<Order> {
  const zh = { "accept-language": "zh-CN" };
  return (await client.json<{ order: Order }>("GET", `/api/orders/${id}`, { headers: zh })).body.order;
}

async function ship(id: string) {
  const res = await admin.json("POST", `/api/admin/orders/${id}/ship`, {
    json: { carrier: "顺丰", trackingNumber: "SF123456" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function requestAndApprove(orderId: string, kind: string, quantity = 1) {
  const o = await order(buyer, orderId);
  const req = await buyer.json<{ refund: { id: string; kind: string } }>("POST", `/api/orders/${orderId}/refunds`, {
    json: { kind, items: [{ orderItemId: o.items[0].id, quantity }], reason: "尺码不合适" },
  });
  assert.equal(req.status, 201, JSON.stringify(req.body));
  const ok = await admin.json<{ refund: { status: string } }>(
    "POST",
    `/api/admin/refunds/${req.body.refund.id}/approve`,
  );
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.refund.status, "approved");
  return req.body.refund.id;
}

Deno.test(
  "an approved exchange moves no money, no stock and no commission, and the timeline says so",
  opts,
  async () => {
    const pid = await product();
    const orderId = await buyAndPay(buyer, app.settings.paymentSandboxSecret, pid, 2);
    await ship(orderId);
    const stockBefore = await stock(pid);
    const commissionBefore = await commissions();
    assert.ok(Number(commissionBefore.pending) > 0, "the upline earned commission on the order");

    const refundId = await requestAndApprove(orderId, "exchange");

    assert.equal(await refunded(orderId), "0.00", "nothing was refunded");
    assert.equal(await stock(pid), stockBefore, "stock did not change");
    assert.deepEqual(await commissions(), commissionBefore, "no commission was clawed back");
    const after = await order(buyer, orderId);
    assert.equal(after.status, "shipped", "the order carries on where it was");
    assert.equal(after.items[0].refundedQuantity, 0);
    const last = after.timeline[after.timeline.length - 1];
    assert.match(last.note ?? "", new RegExp(`换货申请 #${refundId} 已同意.*不退款`));
    const en = await buyer.json<{ order: Order }>("GET", `/api/orders/${orderId}`, {
      headers: { "accept-language": "en" },
    });
    assert.match(en.body.order.timeline.at(-1)?.note ?? "", /Exchange #\d+ approved: .*no money is refunded/);
    // The buyer can still ask for a refund of both units afterwards: the exchange returned none.
    await requestAndApprove(orderId, "return_refund", 2);
    assert.equal(await refunded(orderId), "200.00");
  },
);

Deno.test("refund-only on shipped goods refunds the money but leaves the goods with the buyer", opts, async () => {
  const pid = await product();
  const orderId = await buyAndPay(buyer, app.settings.paymentSandboxSecret, pid, 2);
  await ship(orderId);
  const stockBefore = await stock(pid);
  const clawedBefore = Number((await commissions()).clawedBack);
  await requestAndApprove(orderId, "refund_only");
  assert.equal(await refunded(orderId), "100.00");
  assert.equal(await stock(pid), stockBefore, "no restock: the buyer keeps the goods");
  assert.ok(Number((await commissions()).clawedBack) > clawedBefore, "commission on the refund is clawed back");
  const after = await order(buyer, orderId);
  assert.equal(after.status, "partially_refunded");
  assert.match(after.timeline.at(-1)?.note ?? "", /退款 #\d+ 已同意：退回 ¥100\.00/);
});

Deno.test(
  "a partially refunded order keeps its place in shipping: received only once shipped, shipped only once",
  opts,
  async () => {
    const pid = await product();
    // Part refunded before shipping: the rest must ship before the buyer can confirm receipt.
    const early = await buyAndPay(buyer, app.settings.paymentSandboxSecret, pid, 2);
    await requestAndApprove(early, "refund_only");
    assert.equal((await order(buyer, early)).status, "partially_refunded");
    const confirmForm = async (id: string) =>
      (await (await buyer.request("GET", `/orders/${id}`)).text()).includes(`action="/orders/${id}/confirm"`);
    assert.equal(await confirmForm(early), false, "no 确认收货 before it ships");
    const tooSoon = await buyer.json("POST", `/api/orders/${early}/confirm-receipt`);
    assert.equal(tooSoon.status, 409, JSON.stringify(tooSoon.body));
    assert.equal((await order(buyer, early)).status, "partially_refunded", "nothing changed");
    await ship(early);
    assert.equal((await order(buyer, early)).status, "shipped");
    assert.equal((await buyer.json("POST", `/api/orders/${early}/confirm-receipt`)).status, 200);
    assert.equal((await order(buyer, early)).status, "delivered");

    // Part refunded after shipping: it cannot ship again, and the buyer confirms receipt of the rest.
    const late = await buyAndPay(buyer, app.settings.paymentSandboxSecret, pid, 2);
    await ship(late);
    await requestAndApprove(late, "refund_only");
    const again = await admin.json("POST", `/api/admin/orders/${late}/ship`, {
      json: { carrier: "顺丰", trackingNumber: "SF999999" },
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(await confirmForm(late), true, "确认收货 for the rest of a partially refunded order on its way");
    assert.equal((await buyer.json("POST", `/api/orders/${late}/confirm-receipt`)).status, 200);
    assert.equal(await confirmForm(late), false, "received once");
    const received = await buyer.json("POST", `/api/orders/${late}/confirm-receipt`);
    assert.equal(received.status, 409, "received once");
  },
);

Deno.test("refund-only before shipping restocks, and a return restocks", opts, async () => {
  const pid = await product();
  const unshipped = await buyAndPay(buyer, app.settings.paymentSandboxSecret, pid, 1);
  const before = await stock(pid);
  await requestAndApprove(unshipped, "refund_only");
  assert.equal(await stock(pid), before + 1, "the unit never left the warehouse");
  const shipped = await buyAndPay(buyer, app.settings.paymentSandboxSecret, pid, 1);
  await ship(shipped);
  const beforeReturn = await stock(pid);
  await requestAndApprove(shipped, "return_refund");
  assert.equal(await stock(pid), beforeReturn + 1, "returned goods go back on the shelf");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
