/**
 * The shopper pages: the 领券 strip on the shop home (claim by a plain form post, also from a kept page),
 * `/account/coupons` with its usable / used / expired tabs, and the status tabs of `/orders`.
 */
import assert from "node:assert/strict";
import { Server } from "socket.io";
import { buyAndPay, createTestApp, TEST_ADDRESS, type TestApp, type TestClient } from "./helpers.ts";
import { PageCache, wirePageCache } from "../lib/page_cache.ts";
import { Dispatcher } from "../realtime/dispatcher.ts";
import { createLogger } from "../lib/log.ts";
import { nextCatalogueChange } from "../services/catalogue.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const uid = () => crypto.randomUUID().slice(0, 6).toUpperCase();

let cache!: PageCache;
let dispatcher!: Dispatcher;
const app: TestApp = await createTestApp({}, (db) => {
  cache = new PageCache({ ttlMs: 60_000, maxEntries: 100, nextChange: () => nextCatalogueChange(db) });
  dispatcher = new Dispatcher(db, new Server(), createLogger("silent"), 60_000);
  wirePageCache(cache, dispatcher);
  return { pageCache: cache };
});
await dispatcher.start();

const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

async function page(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await c.request("GET", path, { headers });
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

async function coupon(fields: Record<string, unknown>): Promise<string> {
  const code = `P${uid()}`;
  const res = await admin.json("POST", "/api/admin/coupons", {
    json: { code, kind: "amount_off", value: "20.00", ...fields },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return code;
}

async function member(name: string): Promise<TestClient> {
  const c = app.client();
  await c.register(`${name.toLowerCase()}-${uid()}@example.com`, name);
  return c;
}

const productRes = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "领券面霜", category: "beauty", price: "150.00", costPrice: "10.00", stock: 100, lowStockThreshold: 1 },
});
const productId = productRes.body.product.id;

const welcome = await coupon({ claimable: true, minSubtotal: "100.00", totalLimit: 2 });
const save = await coupon({ claimable: true, kind: "percent_off", value: "0.10" });
const hidden = await coupon({});

Deno.test("the shop home shows the 领券 strip with claim forms, in Chinese and English", opts, async () => {
  const zh = await page(app.client(), "/");
  assert.equal(zh.status, 200);
  assert.match(zh.html, /领券中心/);
  assert.match(zh.html, new RegExp(`action="/coupons/${welcome}/claim"`));
  assert.match(zh.html, new RegExp(`action="/coupons/${save}/claim"`));
  assert.doesNotMatch(zh.html, new RegExp(hidden), "a coupon that is not claimable is not offered");
  assert.match(zh.html, /满 ¥100\.00 可用/);
  assert.match(zh.html, /9折/);
  assert.match(zh.html, /剩 2 张/);
  assert.doesNotMatch(zh.html, /<script/, "no JavaScript needed");
  const en = await page(app.client(), "/", { "accept-language": "en" });
  assert.match(en.html, /¥20 off/);
  assert.match(en.html, /10% off/);
  assert.match(en.html, /On orders over ¥100\.00/);
  const filtered = await page(app.client(), "/?category=beauty");
  assert.doesNotMatch(filtered.html, /coupon-strip/, "only on the unfiltered first page");
});

Deno.test("a visitor's claim button (no token, same origin) leads to the login page", opts, async () => {
  const visitor = app.client();
  await page(visitor, "/");
  const res = await visitor.request("POST", `/coupons/${welcome}/claim`, {
    body: "",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
  });
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /^\/login\?next=/);
  const cross = await visitor.request("POST", `/coupons/${welcome}/claim`, {
    body: "",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
  });
  assert.equal(cross.status, 403);
});

Deno.test("a member claims from the home page without JavaScript; twice shows why it was refused", opts, async () => {
  const m = await member("Mia");
  const home = await page(m, "/");
  const token = home.html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  assert.ok(token, "a member's kept page carries their own token");
  const res = await m.form(`/coupons/${save}/claim`, { _csrf: token });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/account/coupons?claimed=${save}`);
  const after = await page(m, res.headers.get("location")!);
  assert.equal(after.status, 200);
  assert.match(after.html, new RegExp(`领取成功：${save}`));
  assert.match(after.html, new RegExp(`data-code="${save}"`));

  const again = await m.form(`/coupons/${save}/claim`, {});
  assert.equal(again.headers.get("location"), "/account/coupons?refused=claimed");
  assert.match((await page(m, "/account/coupons?refused=claimed")).html, /你已经领过这张券了/);
  const unknown = await m.form("/coupons/NOPE/claim", {});
  assert.equal(unknown.headers.get("location"), "/account/coupons?refused=not_found");
  const notClaimable = await m.form(`/coupons/${hidden}/claim`, {});
  assert.equal(notClaimable.headers.get("location"), "/account/coupons?refused=not_claimable");
  const noToken = await m.request("POST", `/coupons/${welcome}/claim`, {
    body: "",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(noToken.status, 403, "a member's form needs its CSRF token");
  const forged = await page(m, `/account/coupons?claimed=${welcome}`);
  assert.doesNotMatch(forged.html, /领取成功/, "no success notice for a coupon the member does not hold");
});

Deno.test(
  "review13: a member's home says 已领取 for the coupons they hold, offers 新人专享 to new members only; the visitors' home stays kept",
  opts,
  async () => {
    const held = await coupon({ claimable: true, value: "3.00" });
    const newOnly = await coupon({ claimable: true, value: "8.00", newMembersOnly: true });
    const zoe = await member("Zoe");
    assert.equal((await zoe.json("POST", `/api/coupons/${held}/claim`)).status, 201);
    const mine = await page(zoe, "/");
    const card = (html: string, code: string) =>
      html.match(new RegExp(`data-code="${code}"[\\s\\S]*?</article>`))?.[0] ?? "";
    assert.match(card(mine.html, held), /data-testid="coupon-held"[^>]*>已领取</);
    assert.match(card(mine.html, held), /href="\/account\/coupons"/);
    assert.doesNotMatch(mine.html, new RegExp(`action="/coupons/${held}/claim"`));
    assert.match(mine.html, new RegExp(`action="/coupons/${save}/claim"`), "what they do not hold stays claimable");
    assert.match(mine.html, new RegExp(`action="/coupons/${newOnly}/claim"`), "a new member is offered 新人专享");
    const en = await page(zoe, "/", { "accept-language": "en" });
    assert.match(card(en.html, held), /aria-label="Claimed: coupon [^"]*"[^>]*>Claimed</);

    // Another member of the same level, and a visitor: nothing of Zoe's.
    const yan = await member("Yan");
    assert.match((await page(yan, "/")).html, new RegExp(`action="/coupons/${held}/claim"`));
    // Members alike (same level, same coupons) share one kept copy of the home, each framed with their own name.
    const xia = await member("Xia");
    const shared = cache.stats.hits;
    const xiaHome = await page(xia, "/");
    assert.equal(cache.stats.hits, shared + 1, "a member like Yan is answered from the kept copy");
    assert.match(xiaHome.html, /Xia/);
    assert.doesNotMatch(xiaHome.html, /Yan/);
    await page(app.client(), "/");
    const hits = cache.stats.hits;
    const visitor = await page(app.client(), "/");
    assert.equal(cache.stats.hits, hits + 1, "the visitors' home is still served from the cache");
    assert.match(visitor.html, new RegExp(`action="/coupons/${held}/claim"`));
    assert.doesNotMatch(visitor.html, /coupon-held/);

    // Once Zoe has paid for an order she is not new: 新人专享 is not offered, and a claim is refused.
    await buyAndPay(zoe, app.settings.paymentSandboxSecret, productId);
    assert.doesNotMatch((await page(zoe, "/")).html, new RegExp(`data-code="${newOnly}"`));
    const refused = await zoe.form(`/coupons/${newOnly}/claim`, {});
    assert.equal(refused.headers.get("location"), "/account/coupons?refused=new_only");
    assert.match((await page(zoe, "/account/coupons?refused=new_only")).html, /这张券仅限新人领取/);
  },
);

Deno.test("the kept home page drops a coupon once its last claim is given out", opts, async () => {
  const before = await page(app.client(), "/");
  assert.match(before.html, new RegExp(`/coupons/${welcome}/claim`));
  for (const name of ["Ann", "Ben"]) {
    const res = await (await member(name)).json("POST", `/api/coupons/${welcome}/claim`);
    assert.equal(res.status, 201);
  }
  await cache.sync();
  const after = await page(app.client(), "/");
  assert.doesNotMatch(after.html, new RegExp(`/coupons/${welcome}/claim`));
  assert.match(after.html, new RegExp(`/coupons/${save}/claim`));
});

Deno.test("/account/coupons lists my coupons in usable, used and expired tabs", opts, async () => {
  assert.match((await page(app.client(), "/account/coupons")).location ?? "", /^\/login\?next=/);
  const m = await member("Tom");
  const ending = await coupon({ claimable: true, value: "5.00" });
  assert.equal((await m.json("POST", `/api/coupons/${save}/claim`)).status, 201);
  assert.equal((await m.json("POST", `/api/coupons/${ending}/claim`)).status, 201);
  const other = await member("Zoe");
  const otherCode = await coupon({ claimable: true, value: "7.00" });
  assert.equal((await other.json("POST", `/api/coupons/${otherCode}/claim`)).status, 201);

  let usable = await page(m, "/account/coupons");
  assert.equal(usable.status, 200);
  assert.match(usable.html, /我的优惠券/);
  assert.match(usable.html, /aria-current="page"[^>]*>可使用|可使用/);
  assert.match(usable.html, new RegExp(`data-code="${save}"`));
  assert.match(usable.html, new RegExp(`data-code="${ending}"`));
  assert.doesNotMatch(usable.html, new RegExp(otherCode), "never another member's coupon");

  const ordered = await m.json("POST", "/api/orders", {
    json: { items: [{ productId, quantity: 1 }], address: TEST_ADDRESS, couponCode: save },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(ordered.status, 201, JSON.stringify(ordered.body));
  await app.db.query("UPDATE coupons SET ends_at = now() - interval '1 second' WHERE code = $1", [ending]);

  usable = await page(m, "/account/coupons?tab=usable");
  assert.doesNotMatch(usable.html, new RegExp(`data-code="${save}"`));
  assert.doesNotMatch(usable.html, new RegExp(`data-code="${ending}"`));
  assert.match(usable.html, /这里还没有优惠券/);
  const used = await page(m, "/account/coupons?tab=used");
  assert.match(used.html, new RegExp(`data-code="${save}"`));
  assert.match(used.html, /已使用/);
  const expired = await page(m, "/account/coupons?tab=expired");
  assert.match(expired.html, new RegExp(`data-code="${ending}"`));
  const en = await page(m, "/account/coupons?tab=used", { "accept-language": "en" });
  assert.match(en.html, /My coupons/);
  assert.match(en.html, /Used on /);
  const bogus = await page(m, "/account/coupons?tab=nope&refused=%3Cscript%3E");
  assert.equal(bogus.status, 200, "an unknown tab falls back to usable");
  assert.doesNotMatch(bogus.html, /<script>/);
  assert.match((await page(m, "/account")).html, /href="\/account\/coupons"/);
});

Deno.test("/orders has status tabs 全部/待付款/待发货/待收货/已完成/售后", opts, async () => {
  assert.match((await page(app.client(), "/orders")).location ?? "", /^\/login\?next=/);
  const m = await member("Ord");
  const unpaid = await m.json<{ order: { id: string; number: string } }>("POST", "/api/orders", {
    json: { items: [{ productId, quantity: 1 }], address: TEST_ADDRESS },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  const cancelled = await m.json<{ order: { id: string; number: string } }>("POST", "/api/orders", {
    json: { items: [{ productId, quantity: 1 }], address: TEST_ADDRESS },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  await m.json("POST", `/api/orders/${cancelled.body.order.id}/cancel`);

  const all = await page(m, "/orders");
  for (const label of ["全部", "待付款", "待发货", "待收货", "已完成", "售后"]) {
    assert.match(all.html, new RegExp(label));
  }
  assert.match(all.html, new RegExp(unpaid.body.order.number));
  assert.match(all.html, new RegExp(cancelled.body.order.number));
  const toPay = await page(m, "/orders?tab=pending_payment");
  assert.match(toPay.html, new RegExp(unpaid.body.order.number));
  assert.doesNotMatch(toPay.html, new RegExp(cancelled.body.order.number));
  assert.match(
    toPay.html,
    /href="\/orders\?tab=pending_payment"[^>]*aria-current="page"|aria-current="page"[^>]*>待付款/,
  );
  const toShip = await page(m, "/orders?tab=to_ship");
  assert.doesNotMatch(toShip.html, new RegExp(unpaid.body.order.number));
  assert.match(toShip.html, /这里没有订单/);
  const en = await page(m, "/orders?tab=after_sales", { "accept-language": "en" });
  assert.match(en.html, /To pay/);
  assert.match(en.html, /After-sales/);
  assert.match(en.html, /No orders here/);
  const bogus = await page(m, "/orders?tab=%22%3E");
  assert.equal(bogus.status, 200);
  assert.match(bogus.html, new RegExp(cancelled.body.order.number), "an unknown tab shows all");
});

Deno.test("teardown", opts, async () => {
  await dispatcher.stop();
  await app.close();
});
