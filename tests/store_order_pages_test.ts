/**
 * The shopper's side of an order as pages (issue 13, point 2): the address book, checkout's address step
 * and coupon picker, the order page (address, shipping, deadline in shop time, after-sales), the order list
 * with pictures and dates, 我的 as a hub with the distributor application, and the shop's empty states.
 * Bad input everywhere: someone else's address or order, invalid fields, unusable coupons, stale prices.
 */
import assert from "node:assert/strict";
import { createTestApp, installPlanForTest, type TestApp, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { MAX_ADDRESSES } from "../services/address_book.ts";
import { checkoutOrder } from "../services/checkout.ts";
import { findUserById } from "../db/users_repo.ts";
import { SHOP_TIME_ZONE } from "../domain/shop_time.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const uid = () => crypto.randomUUID().slice(0, 6).toUpperCase();

const app: TestApp = await createTestApp();
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

async function page(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await c.request("GET", path, { headers });
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

async function post(c: TestClient, path: string, fields: Record<string, string>) {
  const res = await c.form(path, fields, "/account");
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

async function member(name: string): Promise<TestClient & { id: string }> {
  const c = app.client();
  const user = await c.register(`${name.toLowerCase()}-${uid()}@example.com`, name);
  return Object.assign(c, { id: String(user.id) });
}

async function product(name: string, price: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name, category: "beauty", price, costPrice: "10.00", stock: 100, lowStockThreshold: 1, ...extra },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function coupon(fields: Record<string, unknown>): Promise<string> {
  const code = `C${uid()}`;
  const res = await admin.json("POST", "/api/admin/coupons", {
    json: { code, kind: "amount_off", value: "20.00", claimable: true, ...fields },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return code;
}

interface Address {
  id: string;
  name: string;
  phone: string;
  line1: string;
  city: string;
  postcode: string | null;
  isDefault: boolean;
}

async function book(c: TestClient): Promise<Address[]> {
  return (await c.json<{ items: Address[] }>("GET", "/api/me/addresses")).body.items;
}

const ADDRESS = { name: "王小明", phone: "13912345678", line1: "世纪大道 100 号", city: "上海", postcode: "" };

/** The checkout form's hidden fields as the page gave them (key and the total it shows). */
function hidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
}

async function orderCount(userId: string): Promise<number> {
  const [{ n }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE user_id = $1", [
    userId,
  ]);
  return n;
}

const cream = await product("玫瑰面霜", "80.00");
const shirtRes = await admin.json<{ product: { id: string; skus: { id: string }[] } }>("POST", "/api/admin/products", {
  json: {
    name: "纯棉T恤",
    category: "apparel",
    skus: [["红", "M", "89.00"], ["蓝", "L", "99.00"]].map(([color, size, price], i) => ({
      code: `SO-${uid()}-${i}`,
      specs: { 颜色: color, 尺码: size },
      price,
      costPrice: "30.00",
      stock: 50,
      lowStockThreshold: 1,
    })),
  },
});
assert.equal(shirtRes.status, 201, JSON.stringify(shirtRes.body));
const shirt = shirtRes.body.product;
const serum = await product("精华液", "50.00");

Deno.test(
  "the address book pages: add, list, edit, make default, delete; bad fields are a 400 next to the field",
  opts,
  async () => {
    assert.match((await page(app.client(), "/account/addresses")).location ?? "", /^\/login\?next=/);
    const m = await member("Book");
    const empty = await page(m, "/account/addresses");
    assert.equal(empty.status, 200);
    assert.match(empty.html, /还没有收货地址/);
    assert.match(empty.html, /href="\/account\/addresses\/new"/);

    const bad = await post(m, "/account/addresses/new", { name: "", phone: "12", line1: "", city: "上海" });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /请检查下面标出的内容/);
    assert.match(bad.html, /请填写收货人/);
    assert.match(bad.html, /请输入有效的手机号/);
    assert.match(bad.html, /请输入详细地址/);
    assert.match(bad.html, /value="12"/, "what was typed stays");
    assert.equal((await book(m)).length, 0, "nothing saved");
    const tooLong = await post(m, "/account/addresses/new", { ...ADDRESS, postcode: "1234567890123" });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.html, /f-postcode-error/);

    const first = await post(m, "/account/addresses/new", ADDRESS);
    assert.equal(first.status, 303);
    assert.equal(first.location, "/account/addresses?done=saved");
    const second = await post(m, "/account/addresses/new", { ...ADDRESS, name: "李华", city: "北京", isDefault: "on" });
    assert.equal(second.status, 303);
    let items = await book(m);
    assert.deepEqual(items.map((a) => [a.name, a.isDefault]), [["李华", true], ["王小明", false]]);

    const list = await page(m, "/account/addresses?done=saved");
    assert.match(list.html, /地址已保存/);
    assert.equal(list.html.match(/data-testid="address-card"/g)?.length, 2);
    assert.match(list.html, /13912345678/, "the owner sees their own phone in full");
    assert.match(list.html, /默认收货地址/);

    const wang = items.find((a) => a.name === "王小明")!;
    const edit = await page(m, `/account/addresses/${wang.id}`);
    assert.equal(edit.status, 200);
    assert.match(edit.html, /value="世纪大道 100 号"/);
    const badEdit = await post(m, `/account/addresses/${wang.id}`, { ...ADDRESS, city: "" });
    assert.equal(badEdit.status, 400);
    assert.match(badEdit.html, /请输入城市/);
    const edited = await post(m, `/account/addresses/${wang.id}`, {
      ...ADDRESS,
      line1: "南京路 1 号",
      postcode: "200000",
    });
    assert.equal(edited.status, 303);
    items = await book(m);
    assert.equal(items.find((a) => a.id === wang.id)?.line1, "南京路 1 号");
    assert.equal(items.find((a) => a.id === wang.id)?.postcode, "200000");

    const made = await post(m, `/account/addresses/${wang.id}/default`, {});
    assert.equal(made.location, "/account/addresses?done=default");
    assert.deepEqual((await book(m)).map((a) => [a.name, a.isDefault]), [["王小明", true], ["李华", false]]);

    const deleted = await post(m, `/account/addresses/${wang.id}/delete`, {});
    assert.equal(deleted.location, "/account/addresses?done=deleted");
    assert.deepEqual(
      (await book(m)).map((a) => [a.name, a.isDefault]),
      [["李华", true]],
      "the one left is the default",
    );
    assert.match((await page(m, "/account/addresses?done=deleted")).html, /地址已删除/);
  },
);

Deno.test(
  "someone else's address, or no address id at all, is a 404 on every address page; nothing changes",
  opts,
  async () => {
    const owner = await member("Owner");
    await post(owner, "/account/addresses/new", ADDRESS);
    const [theirs] = await book(owner);
    const other = await member("Other");
    for (const id of [theirs.id, "abc", "99999999"]) {
      assert.equal((await page(other, `/account/addresses/${id}`)).status, 404, id);
      assert.equal((await post(other, `/account/addresses/${id}`, { ...ADDRESS, name: "篡改" })).status, 404, id);
      assert.equal((await post(other, `/account/addresses/${id}`, { name: "" })).status, 404, `${id} with bad fields`);
      assert.equal((await post(other, `/account/addresses/${id}/default`, {})).status, 404, id);
      assert.equal((await post(other, `/account/addresses/${id}/delete`, {})).status, 404, id);
    }
    assert.deepEqual(await book(owner), [theirs]);
    // A form without the CSRF token changes nothing either.
    const forged = await owner.request("POST", `/account/addresses/${theirs.id}/delete`, {
      body: "",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(forged.status, 403);
    assert.equal((await book(owner)).length, 1);
  },
);

Deno.test("a full address book refuses another address with a 409 that says why", opts, async () => {
  const m = await member("Full");
  for (let i = 0; i < MAX_ADDRESSES; i++) {
    const res = await m.json("POST", "/api/me/addresses", { json: { ...ADDRESS, line1: `路 ${i} 号` } });
    assert.equal(res.status, 201);
  }
  const refused = await post(m, "/account/addresses/new", ADDRESS);
  assert.equal(refused.status, 409);
  assert.match(refused.html, new RegExp(`地址簿最多保存 ${MAX_ADDRESSES} 个地址`));
  assert.match((await page(m, "/account/addresses")).html, new RegExp(`最多保存 ${MAX_ADDRESSES} 个地址`));
});

Deno.test(
  "checkout picks the default address, lists the lines and the member's coupons with why each does or does not apply",
  opts,
  async () => {
    const m = await member("Pick");
    const usable = await coupon({ minSubtotal: "100.00" });
    const tooBig = await coupon({ value: "30.00", minSubtotal: "500.00" });
    const unclaimed = await coupon({});
    for (const code of [usable, tooBig]) assert.equal((await m.json("POST", `/api/coupons/${code}/claim`)).status, 201);
    await post(m, "/account/addresses/new", ADDRESS);
    await post(m, "/account/addresses/new", { ...ADDRESS, name: "李华", city: "北京" });
    const [wang] = (await book(m)).filter((a) => a.name === "王小明");
    await m.json("PUT", "/api/cart", {
      json: {
        items: [
          { productId: cream, quantity: 2 },
          { productId: serum, quantity: 1 },
          { productId: shirt.id, skuId: shirt.skus[1].id, quantity: 1 },
        ],
      },
    });

    const checkout = await page(m, "/checkout");
    assert.equal(checkout.status, 200);
    assert.match(checkout.html, new RegExp(`name="addressId" value="${wang.id}" checked`), "the default is chosen");
    assert.equal(checkout.html.match(/data-testid="address-option"/g)?.length, 2);
    assert.match(checkout.html, /使用新地址/);
    // The lines: picture, name, unit price × quantity and the line total the order will store.
    assert.equal(checkout.html.match(/data-testid="order-line"/g)?.length, 3);
    assert.match(checkout.html, /data-testid="line-specs">[^<]*颜色：蓝/, "a SKU's spec, with its axis");
    assert.match(checkout.html, /data-testid="line-specs">[^<]*尺码：L/);
    assert.match(checkout.html, new RegExp(`<img src="/images/products/${cream}[^"]*"`));
    assert.match(checkout.html, /玫瑰面霜/);
    assert.match(checkout.html, /¥80\.00 × 2/);
    assert.match(checkout.html, /¥160\.00/);
    assert.match(checkout.html, /商品清单（共 4 件）/);
    // The coupons: the usable one with its saving first, the other with how much is missing.
    assert.match(checkout.html, /1 张优惠券可用/);
    assert.ok(checkout.html.indexOf(usable) < checkout.html.indexOf(tooBig));
    assert.match(checkout.html, /本单可省 ¥20\.00/);
    assert.match(checkout.html, /还差 ¥191\.00 可用/);
    assert.match(checkout.html, new RegExp(`name="pick" value="${usable}"`));
    assert.doesNotMatch(
      checkout.html,
      new RegExp(`name="pick" value="${tooBig}"`),
      "no 使用 button on an unusable one",
    );
    assert.doesNotMatch(checkout.html, new RegExp(unclaimed), "a coupon the member did not claim is not offered");
    assert.equal(hidden(checkout.html, "shownTotal"), "309.00");

    // Picking the usable coupon prices the page with it; the unusable one is a 400 that says why.
    const picked = await post(m, "/checkout", { key: hidden(checkout.html, "key"), addressId: wang.id, pick: usable });
    assert.equal(picked.status, 200);
    assert.match(picked.html, /已选用/);
    assert.match(picked.html, /−¥20\.00/);
    assert.equal(hidden(picked.html, "shownTotal"), "289.00");
    const refused = await post(m, "/checkout", { key: hidden(checkout.html, "key"), addressId: wang.id, pick: tooBig });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /满 ¥500\.00 可用/);
    assert.equal(hidden(refused.html, "shownTotal"), "309.00", "the breakdown is the order's without the coupon");
    const typedUnknown = await post(m, "/checkout", { couponCode: "NOPE-123", action: "apply" });
    assert.equal(typedUnknown.status, 400);
    assert.match(typedUnknown.html, /优惠券码不存在/);
    assert.equal(await orderCount(m.id), 0);

    // In English too.
    const en = await page(m, "/checkout", { "accept-language": "en" });
    assert.match(en.html, /Saves ¥20\.00 on this order/);
    assert.match(en.html, /¥191\.00 more to use it/);
  },
);

Deno.test(
  "placing from checkout: a book address, a new one kept in the book, the coupon shown; bad input changes nothing",
  opts,
  async () => {
    const m = await member("Place");
    const code = await coupon({ minSubtotal: "100.00" });
    assert.equal((await m.json("POST", `/api/coupons/${code}/claim`)).status, 201);
    await post(m, "/account/addresses/new", ADDRESS);
    await post(m, "/account/addresses/new", { ...ADDRESS, name: "李华", city: "北京", line1: "长安街 1 号" });
    const li = (await book(m)).find((a) => a.name === "李华")!;
    const stranger = await member("Stranger");
    await post(stranger, "/account/addresses/new", { ...ADDRESS, name: "陌生人" });
    const [strangers] = await book(stranger);
    await m.json("PUT", "/api/cart", { json: { items: [{ productId: cream, quantity: 2 }] } });
    const form = await page(m, "/checkout");
    const key = hidden(form.html, "key");

    // Someone else's address: 404, no order.
    const theirs = await post(m, "/checkout", { key, action: "place", addressId: strangers.id, shownTotal: "160.00" });
    assert.equal(theirs.status, 404);
    // A new address with bad fields: 400 with each field's message, no order.
    const badNew = await post(m, "/checkout", {
      key,
      action: "place",
      addressId: "new",
      name: "",
      phone: "abc",
      line1: "x",
      city: "",
      shownTotal: "160.00",
    });
    assert.equal(badNew.status, 400);
    assert.match(badNew.html, /请填写收货人/);
    assert.match(badNew.html, /请输入有效的手机号/);
    assert.match(badNew.html, /请输入城市/);
    // A price other than the one shown (here: the coupon typed but never applied): 409 with the new total.
    const stale = await post(m, "/checkout", {
      key,
      action: "place",
      addressId: li.id,
      couponCode: code,
      shownTotal: "160.00",
    });
    assert.equal(stale.status, 409);
    assert.match(stale.html, /订单金额已更新为 ¥140\.00，请确认后再提交订单/);
    assert.equal(hidden(stale.html, "shownTotal"), "140.00");
    assert.equal(await orderCount(m.id), 0, "nothing was ordered");

    const placed = await post(m, "/checkout", {
      key,
      action: "place",
      addressId: li.id,
      couponCode: code,
      shownTotal: "140.00",
    });
    assert.equal(placed.status, 303);
    const orderId = placed.location!.split("/").pop()!;
    const order = await m.json<{ order: { total: string; discount: string; address: Record<string, string> } }>(
      "GET",
      `/api/orders/${orderId}`,
    );
    assert.equal(order.body.order.total, "140.00");
    assert.equal(order.body.order.discount, "20.00");
    assert.equal(order.body.order.address.line1, "长安街 1 号", "the chosen address, stored with the order");
    assert.equal(order.body.order.address.city, "北京");
    const [claim] = await app.db.query<{ used_at: Date | null }>(
      "SELECT k.used_at FROM coupon_claims k JOIN coupons c ON c.id = k.coupon_id WHERE c.code = $1 AND k.user_id = $2",
      [code, m.id],
    );
    assert.ok(claim.used_at, "the claimed coupon is used");
    assert.equal((await book(m)).length, 2, "a book address is not added again");

    // A new address typed inline is kept in the book (not as the default) when asked.
    await m.json("PUT", "/api/cart", { json: { items: [{ productId: serum, quantity: 1 }] } });
    const again = await page(m, "/checkout");
    const inline = await post(m, "/checkout", {
      key: hidden(again.html, "key"),
      action: "place",
      addressId: "new",
      name: "赵六",
      phone: "13700000000",
      line1: "人民路 8 号",
      city: "杭州",
      keepAddress: "on",
      shownTotal: hidden(again.html, "shownTotal"),
    });
    assert.equal(inline.status, 303);
    const after = await book(m);
    assert.equal(after.length, 3);
    assert.equal(after.find((a) => a.name === "赵六")?.isDefault, false);

    // A post without the page's total (a script's) is placed at the price of the moment.
    await m.json("PUT", "/api/cart", { json: { items: [{ productId: serum, quantity: 1 }] } });
    const scripted = await post(m, "/checkout", { key: uid(), action: "place", addressId: li.id });
    assert.equal(scripted.status, 303);
  },
);

Deno.test(
  "checkouts at once by a member without addresses keep one default address, and one copy of the same one",
  opts,
  async () => {
    const m = await member("Twice");
    await m.json("PUT", "/api/cart", { json: { items: [{ productId: serum, quantity: 1 }] } });
    const form = await page(m, "/checkout");
    assert.match(form.html, /这个地址将保存为你的默认收货地址/, "without a book the fields are the address step");
    // The orders' transactions (each holding the member's row) keep the book: raced at the service, as the
    // page's requests would race (the page reads the cart first, so only the first of them finds lines).
    const buyer = (await findUserById(app.db, m.id))!;
    const lines = [{ productId: serum, quantity: 1 }];
    const place = (name: string) =>
      checkoutOrder(
        app.shop,
        buyer,
        lines,
        {
          pointsToUse: 0,
          address: { ...ADDRESS, name, postcode: undefined },
          keepAddress: true,
        },
        uid(),
        null,
      );
    const results = await Promise.all([place("甲"), place("乙"), place("甲"), place("乙")]);
    assert.equal(results.filter((r) => r.created).length, 4);
    const after = await book(m);
    assert.deepEqual(after.map((a) => a.name).sort(), ["乙", "甲"], "the same address is kept once");
    assert.equal(after.filter((a) => a.isDefault).length, 1, "exactly one default");
  },
);

async function payByWebhook(c: TestClient, orderId: string) {
  const pay = await c.json<{ payment: { id: string; amount: string } }>("POST", `/api/orders/${orderId}/pay`, {
    json: { method: "sandbox" },
  });
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  const res = await c.request("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: {
      "content-type": "application/json",
      "x-sandbox-signature": await new SandboxProvider(app.settings.paymentSandboxSecret).sign(body),
    },
  });
  assert.equal(res.status, 200);
}

async function apiOrder(c: TestClient, items: { productId: string; quantity: number }[]) {
  const res = await c.json<{ order: { id: string; number: string; expiresAt: string } }>("POST", "/api/orders", {
    json: { items, address: { ...ADDRESS, postcode: "200120" } },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.order;
}

Deno.test(
  "the order page shows the address, the deadline and countdown in shop time, then shipping; others get 404",
  opts,
  async () => {
    const m = await member("Buyer");
    const order = await apiOrder(m, [{ productId: cream, quantity: 1 }, { productId: serum, quantity: 2 }]);
    const unpaid = await page(m, `/orders/${order.id}`);
    assert.equal(unpaid.status, 200);
    assert.match(unpaid.html, /data-testid="order-address"/);
    assert.match(unpaid.html, /王小明/);
    assert.match(unpaid.html, /13912345678/, "the buyer sees their own phone");
    assert.match(unpaid.html, /上海 世纪大道 100 号 · 200120/);
    // The deadline as the shop's zone reads it (Intl, not the page's own fixed-offset formatter).
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: SHOP_TIME_ZONE,
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).formatToParts(new Date(order.expiresAt)).map((p) => [p.type, p.value]),
    );
    const time = `${parts.month}/${parts.day} ${parts.hour}:${parts.minute}`;
    assert.match(unpaid.html, new RegExp(`请在 ${time} 前完成支付`), "the deadline in shop time");
    assert.match(unpaid.html, /data-testid="countdown">剩余 (2\d|30):\d\d</);
    assert.doesNotMatch(unpaid.html, /UTC/);
    assert.match(unpaid.html, /<li class="active" aria-current="step"><span class="step-no">3<\/span>/);
    assert.match(unpaid.html, /"expiresAt":"/, "the island counts down from the props");
    assert.match(unpaid.html, /data-testid="placed-at">\d{4}-\d\d-\d\d \d\d:\d\d</);
    assert.equal(unpaid.html.match(/data-testid="order-line"/g)?.length, 2);

    for (const who of [await member("Nosy"), app.client()]) {
      const res = await page(who, `/orders/${order.id}`);
      assert.ok(res.status === 404 || (res.status === 302 && /^\/login/.test(res.location ?? "")), String(res.status));
    }
    assert.equal((await page(m, "/orders/abc")).status, 404);
    assert.equal((await page(m, "/orders/99999999")).status, 404);

    await payByWebhook(m, order.id);
    const paid = await page(m, `/orders/${order.id}`);
    assert.doesNotMatch(paid.html, /data-testid="pay-deadline"/);
    assert.doesNotMatch(paid.html, /class="steps"/);
    assert.doesNotMatch(paid.html, /data-testid="shipment"/);
    const ship = await admin.json("POST", `/api/admin/orders/${order.id}/ship`, {
      json: { carrier: "顺丰速运", trackingNumber: "SF1234567890" },
    });
    assert.equal(ship.status, 200);
    const shipped = await page(m, `/orders/${order.id}`);
    assert.match(shipped.html, /data-testid="shipment"/);
    assert.match(shipped.html, /顺丰速运/);
    assert.match(shipped.html, /data-testid="tracking">SF1234567890</);
    assert.match(shipped.html, /\d{4}-\d\d-\d\d \d\d:\d\d 发货/);
    // The shipment card lives in the island, which keeps it live: its props carry the shipment.
    assert.match(shipped.html, /"shipping":\{"shipment":\{"carrier":"顺丰速运","trackingNumber":"SF1234567890"/);
    // The order_status event of the shipment carries the carrier, tracking number and time to the buyer.
    const [shipEvent] = await app.db.query<{ data: Record<string, string>; rooms: string[] }>(
      "SELECT data, rooms FROM events WHERE type = 'order_status' AND data->>'orderId' = $1 AND data->>'status' = 'shipped'",
      [order.id],
    );
    assert.equal(shipEvent.data.carrier, "顺丰速运");
    assert.equal(shipEvent.data.trackingNumber, "SF1234567890");
    const [row] = await app.db.query<{ shipped_at: Date }>("SELECT shipped_at FROM orders WHERE id = $1", [order.id]);
    assert.equal(shipEvent.data.shippedAt, new Date(row.shipped_at).toISOString());
    assert.ok(shipEvent.rooms.includes(`user:${m.id}`), "to the buyer's room");
    const [paidEvent] = await app.db.query<{ data: Record<string, string> }>(
      "SELECT data FROM events WHERE type = 'order_status' AND data->>'orderId' = $1 AND data->>'status' = 'paid'",
      [order.id],
    );
    assert.equal(paidEvent.data.carrier, undefined, "other moves carry no shipment");

    // A manager sees the order; a staff role without personal-data access sees the phone masked.
    assert.match((await page(admin, `/orders/${order.id}`)).html, /13912345678/);
    const support = await member("Support");
    assert.equal(
      (await admin.json("POST", `/api/admin/users/${support.id}/role`, { json: { role: "manager" } })).status,
      200,
    );
    await admin.json("POST", `/api/admin/users/${support.id}/staff-role`, { json: { staffRole: "support" } });
    const masked = await page(support, `/orders/${order.id}`);
    assert.equal(masked.status, 200);
    assert.match(masked.html, /139\*\*\*\*5678/);
    assert.doesNotMatch(masked.html, /13912345678/);
  },
);

Deno.test(
  "the order page lists after-sales requests; approving and rejecting them is sent to the buyer live",
  opts,
  async () => {
    const m = await member("Refunds");
    const order = await apiOrder(m, [{ productId: cream, quantity: 2 }]);
    await payByWebhook(m, order.id);
    const view = await m.json<{ order: { items: { id: string }[] } }>("GET", `/api/orders/${order.id}`);
    const ask = () =>
      m.json<{ refund: { id: string } }>("POST", `/api/orders/${order.id}/refunds`, {
        json: { items: [{ orderItemId: view.body.order.items[0].id, quantity: 1 }], reason: "不想要了" },
      });
    const first = await ask();
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const requested = await page(m, `/orders/${order.id}`);
    assert.match(requested.html, /data-testid="refund-status">待审核</);
    assert.match(requested.html, /不想要了/);
    const rejected = await admin.json("POST", `/api/admin/refunds/${first.body.refund.id}/reject`, {
      json: { reason: "商品已拆封" },
    });
    assert.equal(rejected.status, 200);
    const second = await ask();
    assert.equal(second.status, 201);
    assert.equal((await admin.json("POST", `/api/admin/refunds/${second.body.refund.id}/approve`)).status, 200);
    const events = await app.db.query<{ type: string; data: Record<string, string>; rooms: string[] }>(
      "SELECT type, data, rooms FROM events WHERE type IN ('refund_rejected', 'refund_approved') AND data->>'orderId' = $1 ORDER BY id",
      [order.id],
    );
    assert.deepEqual(events.map((e) => [e.type, e.data.refundId]), [
      ["refund_rejected", first.body.refund.id],
      ["refund_approved", second.body.refund.id],
    ]);
    assert.equal(events[0].data.note, "商品已拆封");
    assert.ok(events.every((e) => e.rooms.includes(`user:${m.id}`)), "to the buyer's room");
    const decided = await page(m, `/orders/${order.id}`);
    assert.match(decided.html, /data-testid="refund-status">已拒绝</);
    assert.match(decided.html, /商品已拆封/);
    assert.match(decided.html, /data-testid="refund-status">已同意</);
    assert.match(decided.html, /已退 1 件/);
  },
);

Deno.test(
  "the order list shows each order's date in shop time, thumbnails and units; unpaid ones can be paid from it",
  opts,
  async () => {
    const m = await member("List");
    const unpaid = await apiOrder(m, [{ productId: cream, quantity: 1 }, { productId: serum, quantity: 2 }]);
    const paid = await apiOrder(m, [{ productId: serum, quantity: 1 }]);
    await payByWebhook(m, paid.id);
    const all = await page(m, "/orders");
    assert.equal(all.html.match(/data-testid="order-card"/g)?.length, 2);
    assert.equal(all.html.match(/class="order-thumb"/g)?.length, 3, "one picture per line");
    assert.equal(all.html.match(/data-testid="order-date">\d{4}-\d\d-\d\d \d\d:\d\d</g)?.length, 2);
    assert.match(all.html, /共 3 件/);
    assert.match(all.html, new RegExp(`action="/orders/${unpaid.id}/pay"`));
    assert.doesNotMatch(all.html, new RegExp(`action="/orders/${paid.id}/pay"`));
    assert.match(all.html, /精华液/, "a one-line order names its product");
    assert.doesNotMatch(all.html, /UTC/);
    const toShip = await page(m, "/orders?tab=to_ship");
    assert.equal(toShip.html.match(/data-testid="order-card"/g)?.length, 1);
    const none = await page(m, "/orders?tab=to_receive");
    assert.match(none.html, /这里没有订单/);
    assert.match(none.html, /去逛逛/);
    assert.equal((await page(m, "/orders?page=abc")).status, 200, "a bad page number shows the first page");
  },
);

Deno.test(
  "我的 counts orders by status, links to the tabs, and offers 分销中心 to distributors or the application to others",
  opts,
  async () => {
    await installPlanForTest(app.db, { eligibility: "application" });
    const m = await member("Hub");
    const a = await apiOrder(m, [{ productId: serum, quantity: 1 }]);
    await apiOrder(m, [{ productId: serum, quantity: 1 }]);
    await payByWebhook(m, a.id);
    await m.json("POST", "/api/me/addresses", { json: ADDRESS });
    const hub = await page(m, "/account");
    assert.equal(hub.status, 200);
    for (const tab of ["pending_payment", "to_ship", "to_receive", "after_sales"]) {
      assert.match(hub.html, new RegExp(`href="/orders\\?tab=${tab}"`), tab);
    }
    assert.match(hub.html, /data-testid="hub-pending_payment"[\s\S]*?hub-count[^>]*>1</);
    assert.match(hub.html, /data-testid="hub-to_ship"[\s\S]*?hub-count[^>]*>1</);
    assert.match(hub.html, /href="\/account\/addresses"/);
    assert.match(hub.html, /href="\/account\/coupons"/);
    assert.match(hub.html, /默认收货：王小明，上海/);
    assert.match(hub.html, /href="\/account\/apply"/);
    assert.doesNotMatch(hub.html, /data-testid="hub-distributor"/);

    // The application: bad fields 400, then pending (once), and a distributor goes to 分销中心.
    const bad = await post(m, "/account/apply", { contact: "1", channels: "" });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /请留下联系方式/);
    assert.match(bad.html, /请填写你打算在哪里分享商品/);
    const applied = await post(m, "/account/apply", { contact: "13900000000", channels: "朋友圈和小红书" });
    assert.equal(applied.status, 303);
    const pending = await page(m, "/account/apply");
    assert.match(pending.html, /data-testid="apply-status">审核中/);
    assert.doesNotMatch(pending.html, /name="channels"/, "no second application while one is pending");
    const twice = await post(m, "/account/apply", { contact: "13900000000", channels: "朋友圈" });
    assert.equal(twice.status, 409);
    assert.match(twice.html, /你的申请正在审核中/);
    assert.match((await page(m, "/account")).html, /审核中/);

    const d = await member("Dist");
    assert.equal(
      (await admin.json("POST", `/api/admin/users/${d.id}/role`, { json: { role: "distributor" } })).status,
      200,
    );
    const distributorHub = await page(d, "/account");
    assert.match(
      distributorHub.html,
      /data-testid="hub-distributor"[^>]*>|href="\/distributor"[^>]*data-testid="hub-distributor"/,
    );
    assert.match(distributorHub.html, /分销中心/);
    assert.doesNotMatch(distributorHub.html, /href="\/account\/apply"/);
    assert.equal((await page(d, "/account/apply")).location, "/distributor");
    await installPlanForTest(app.db, { eligibility: "everyone" });
  },
);

Deno.test(
  "a filter or search that finds nothing says so to shoppers and offers to clear it; never the manager's hint",
  opts,
  async () => {
    const m = await member("Empty");
    for (const who of [app.client(), m]) {
      const filtered = await page(who, "/?minPrice=99999");
      assert.equal(filtered.status, 200);
      assert.match(filtered.html, /没有符合条件的商品/);
      assert.match(filtered.html, /data-testid="clear-filters"/);
      assert.doesNotMatch(filtered.html, /管理员可在后台添加商品/);
      const searched = await page(who, "/?q=zzzzqqq&brand=none");
      assert.match(searched.html, /没有找到相关商品/);
      assert.match(
        searched.html,
        /href="\/\?q=zzzzqqq"[^>]*data-testid="clear-filters"/,
        "clears the brand, keeps the search",
      );
      assert.doesNotMatch(searched.html, /管理员可在后台添加商品/);
    }
  },
);

Deno.test(
  "SKUs are told apart everywhere (review 13): specs in the product's axis order on the cart, checkout and order page; the refund form says what a line paid; after-sales records, the console's order page, lists and CSV name the lines",
  opts,
  async () => {
    const m = await member("Skus");
    // 颜色 then 尺码 (the picker's axes); jsonb hands the specs back with 尺码 first.
    const red = "颜色：红；尺码：M";
    const blue = "颜色：蓝；尺码：L";
    await m.json("PUT", "/api/cart", {
      json: { items: [{ productId: shirt.id, skuId: shirt.skus[0].id, quantity: 1 }] },
    });
    assert.match((await page(m, "/cart")).html, /data-testid="cart-specs">红 \/ M</, "the cart in axis order");
    assert.match((await page(m, "/checkout")).html, new RegExp(`data-testid="line-specs">${red}<`), "checkout too");
    const res = await m.json<{ order: { id: string; number: string } }>("POST", "/api/orders", {
      json: {
        items: [
          { productId: shirt.id, skuId: shirt.skus[0].id, quantity: 1 },
          { productId: shirt.id, skuId: shirt.skus[1].id, quantity: 2 },
        ],
        address: { ...ADDRESS, postcode: "200120" },
      },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const order = res.body.order;
    const unpaid = await page(m, `/orders/${order.id}`);
    assert.match(unpaid.html, new RegExp(`data-testid="line-specs">${red}<[\\s\\S]*data-testid="line-specs">${blue}<`));
    // The payment row and the lines' refunded units live in the island (the live events update them).
    assert.match(unpaid.html, /"details":\{"address":/);
    assert.match(unpaid.html, /"payment":null/);
    assert.doesNotMatch(unpaid.html, /data-testid="payment-status"/, "no payment started yet");
    assert.equal((await m.json("POST", `/api/orders/${order.id}/pay`, { json: { method: "sandbox" } })).status, 200);
    const paying = await page(m, `/orders/${order.id}`);
    assert.match(paying.html, /data-testid="payment-status">待支付</);
    assert.match(paying.html, /"payment":"pending"/);
    await payByWebhook(m, order.id);

    const view = await m.json<{ order: { items: { id: string; lineTotal: string; specs: object }[] } }>(
      "GET",
      `/api/orders/${order.id}`,
    );
    const [redLine, blueLine] = view.body.order.items;
    assert.deepEqual(Object.keys(blueLine.specs), ["颜色", "尺码"], "the API gives the axis order too");
    const form = await page(m, `/orders/${order.id}/refund`);
    assert.match(form.html, new RegExp(`纯棉T恤<span class="sku-specs">${blue}</span>`));
    assert.match(form.html, new RegExp(`data-testid="line-paid">实付 ¥${blueLine.lineTotal} / 2 件<`));
    assert.doesNotMatch(form.html, /\(¥/);
    const asked = await m.json<{ refund: { id: string } }>("POST", `/api/orders/${order.id}/refunds`, {
      json: { items: [{ orderItemId: blueLine.id, quantity: 1 }], reason: "尺码偏大", kind: "exchange" },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const blueText = `纯棉T恤（${blue}）×1`;
    const requested = await page(m, `/orders/${order.id}`);
    assert.match(requested.html, new RegExp(`data-testid="refund-lines">${blueText}<`));
    assert.match(requested.html, /data-testid="payment-status">已支付</);

    // The console: the order's lines with specs and SKU code, the request's lines on the order, the waiting
    // box and the after-sales list, and the export's lines.
    const [codes] = await app.db.query<{ red: string; blue: string }>(
      "SELECT (SELECT code FROM product_skus WHERE id = $1) AS red, (SELECT code FROM product_skus WHERE id = $2) AS blue",
      [shirt.skus[0].id, shirt.skus[1].id],
    );
    const console = await page(admin, `/admin/orders/${order.id}`);
    assert.equal(console.status, 200);
    assert.match(console.html, new RegExp(`data-testid="line-specs">${red}<`));
    assert.match(console.html, new RegExp(`data-testid="line-sku-code">编码 ${codes.red}<`));
    assert.match(console.html, new RegExp(`data-testid="line-specs">${blue}<`));
    assert.match(console.html, new RegExp(`data-testid="line-sku-code">编码 ${codes.blue}<`));
    assert.match(console.html, new RegExp(`data-testid="refund-lines">${blueText}<`));
    const en = await page(admin, `/admin/orders/${order.id}`, { "accept-language": "en" });
    assert.match(en.html, new RegExp(`SKU ${codes.blue}<`));
    assert.match(
      (await page(admin, `/admin/refunds?q=${order.number}`)).html,
      new RegExp(`data-testid="refund-lines">${blueText}<`),
    );
    assert.match((await page(admin, "/admin/orders")).html, new RegExp(`data-testid="refund-lines">${blueText}<`));
    const csv = await (await admin.request("GET", `/admin/orders.csv?q=${order.number}`)).text();
    const [head, row] = csv.trim().split(/\r?\n/);
    assert.match(head, /,created_at,items$/, "the old columns as they were, the lines last");
    assert.ok(row.includes(`纯棉T恤（${red}）×1; 纯棉T恤（${blue}）×2`), row);

    // The exchange approved (no units refunded), then a refund of one blue unit approved: the line says so.
    assert.equal((await admin.json("POST", `/api/admin/refunds/${asked.body.refund.id}/approve`)).status, 200);
    assert.doesNotMatch((await page(m, `/orders/${order.id}`)).html, /data-testid="line-note"/);
    const refund = await m.json<{ refund: { id: string } }>("POST", `/api/orders/${order.id}/refunds`, {
      json: { items: [{ orderItemId: blueLine.id, quantity: 1 }], reason: "不想要了" },
    });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    assert.equal((await admin.json("POST", `/api/admin/refunds/${refund.body.refund.id}/approve`)).status, 200);
    const approved = await page(m, `/orders/${order.id}`);
    assert.match(approved.html, /data-testid="line-note">已退 1 件</);
    assert.match(approved.html, /"items":\[\{"orderItemId":"\d+","quantity":1\}\]/, "the island knows the lines");
    assert.match(
      approved.html,
      /"lineTotal":"[\d.]+","refundedQuantity":1\}/,
      "and the island starts from it",
    );
    assert.ok(redLine.id);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
