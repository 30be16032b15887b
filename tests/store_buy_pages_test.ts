/**
 * Buying pages without a browser: the product page (gallery, buy form, 立即购买, "分享赚" for distributors),
 * buy-now checkout that leaves the cart alone, and the cart page (steppers as forms, line subtotals, tick
 * boxes, select-all, checkout of the ticked lines, empty state), with bad input on each.
 */
import assert from "node:assert/strict";
import { Server } from "socket.io";
import { createTestApp, TEST_ADDRESS, type TestApp, type TestClient } from "./helpers.ts";
import { PageCache, wirePageCache } from "../lib/page_cache.ts";
import { Dispatcher } from "../realtime/dispatcher.ts";
import { createLogger } from "../lib/log.ts";
import { nextCatalogueChange } from "../services/catalogue.ts";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import Countdown, { type CountdownLabels } from "../islands/Countdown.tsx";

const opts = { sanitizeOps: false, sanitizeResources: false };
const uid = () => crypto.randomUUID().slice(0, 8);

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
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

async function product(body: Record<string, unknown>) {
  const res = await admin.json<{ product: { id: string; skus: { id: string; specs: Record<string, string> }[] } }>(
    "POST",
    "/api/admin/products",
    { json: { category: "apparel", ...body } },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product;
}

// A single-SKU cream (5 in stock) and a T-shirt in colour × size whose blue SKUs have their own picture.
const cream = await product({
  name: "买买面霜",
  category: "beauty",
  price: "129.00",
  costPrice: "79.50",
  stock: 5,
  lowStockThreshold: 1,
});
const creamSku = cream.skus[0].id;
const shirt = await product({
  name: "多规格T恤",
  skus: [["红", "M", "99.00", 8], ["红", "L", "99.00", 0], ["蓝", "M", "109.00", 8], ["蓝", "L", "109.00", 8]].map((
    [color, size, price, stock],
  ) => ({
    specs: { 颜色: color, 尺码: size },
    price,
    costPrice: "40.00",
    stock,
    lowStockThreshold: 1,
    ...(color === "蓝" ? { imageUrl: `/images/products/${cream.id}.svg` } : {}),
  })),
});
const sku = (color: string, size: string) =>
  shirt.skus.find((s) => s.specs.颜色 === color && s.specs.尺码 === size)!.id;

async function page(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await c.request("GET", path, { headers });
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

async function member(name = "Buyer"): Promise<TestClient> {
  const c = app.client();
  await c.register(`buy-${uid()}@example.com`, name);
  return c;
}

async function post(c: TestClient, path: string, fields: Record<string, string>) {
  const res = await c.form(path, fields, "/cart");
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

/** A background post of the cart page's script (it asks for JSON). */
async function postJson(c: TestClient, fields: Record<string, string>) {
  const res = await c.request("POST", "/cart/set", {
    body: new URLSearchParams({ _csrf: c.cookies.get("csrf") ?? "", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
  });
  return { status: res.status, json: await res.json() as CartJson };
}

interface CartJson {
  lines: { skuId: string; quantity: number; lineTotal: string | null; available: boolean }[];
  selected: string[];
  summary: { count: number; units: number; subtotal: string; shipping: string; freeGap: string | null };
  notice: string | null;
}

async function cartJson(c: TestClient, sel?: string): Promise<CartJson> {
  const res = await c.json<CartJson>("GET", `/cart/summary${sel === undefined ? "" : `?sel=${sel}`}`);
  assert.equal(res.status, 200);
  return res.body;
}

function islandProps<T>(html: string, name: string): T {
  const json = html.match(/<script id="__islands" type="application\/json">([\s\S]*?)<\/script>/)?.[1];
  assert.ok(json, "the page carries island props");
  const island = (JSON.parse(json) as { name: string; props: T }[]).find((i) => i.name === name);
  assert.ok(island, `the page has the ${name} island`);
  return island.props;
}

// --- Product page -------------------------------------------------------------------------------

Deno.test(
  "the product page: a gallery with the SKU pictures, the buy form with 加入购物车 and 立即购买",
  opts,
  async () => {
    const res = await page(app.client(), `/products/${shirt.id}`);
    assert.equal(res.status, 200);
    // The gallery: the product's own picture first (loaded at once), the SKUs' shared picture lazily, thumbnails.
    const imgs = [...res.html.matchAll(/<div id="pic-(\d)" class="gallery-slide"[^>]*><img ([^>]*)>/g)];
    assert.equal(imgs.length, 2);
    assert.match(imgs[0][2], /class="product-hero"/);
    assert.doesNotMatch(imgs[0][2], /loading="lazy"/);
    assert.match(imgs[1][2], /loading="lazy"/);
    assert.match(imgs[1][2], new RegExp(`src="/images/products/${cream.id}\\.svg`));
    assert.match(res.html, /class="gallery-thumbs"/);
    assert.match(res.html, /href="#pic-2"[^>]*aria-label="查看第 2 张图片"/);
    const gallery = islandProps<{ slides: { skuIds: string[] }[] }>(res.html, "ProductGallery");
    assert.deepEqual(gallery.slides[1].skuIds.sort(), [sku("蓝", "M"), sku("蓝", "L")].sort());
    // The buy form: add to the cart by default, buy now to /cart/buy; the choices post without script.
    assert.match(res.html, /<form method="post" action="\/cart\/set" class="buy-form"/);
    assert.match(res.html, /formaction="\/cart\/buy"[^>]*data-testid="buy-now"[^>]*>立即购买</);
    assert.match(res.html, /data-testid="add-to-cart"[^>]*>加入购物车</);
    assert.match(res.html, /name="spec\.颜色" value="红"/);
    assert.match(res.html, /<input id="qty" class="stepper-input" type="number" name="quantity"/);
    assert.match(res.html, /¥99\.00 起/);
    assert.match(res.html, /id="choose" class="sku-hint"/, "the hint a no-script visitor is sent back to");
    assert.match(res.html, /7 天无理由退换/);
    assert.doesNotMatch(res.html, /分享赚/, "visitors earn nothing by sharing");
    const en = await page(app.client(), `/products/${shirt.id}`, { cookie: "lang=en" });
    assert.match(en.html, />Buy now</);
    assert.match(en.html, />Add to cart</);
    assert.match(en.html, /From ¥99\.00/);
    assert.match(en.html, /7-day returns/);
    assert.doesNotMatch(en.html, /立即购买|加入购物车/);
    // A single-SKU product with one picture has no gallery script, only the buy box.
    const one = await page(app.client(), `/products/${cream.id}`);
    assert.equal(one.status, 200);
    assert.doesNotMatch(one.html, /"name":"ProductGallery"/);
    assert.match(one.html, /class="product-hero"/);
    assert.match(one.html, /data-testid="sku-price">¥129\.00</);
  },
);

Deno.test(
  "a flash sale's product page counts down to its end from the server's clock, and says when the sale ended",
  opts,
  async () => {
    const flashed = await product({
      name: "秒杀保温杯",
      price: "89.00",
      costPrice: "30.00",
      stock: 20,
      lowStockThreshold: 2,
    });
    const endsAt = new Date(Date.now() + 2 * 3_600_000 + 90_000);
    await app.db.query(
      "INSERT INTO promotions (product_id, price, starts_at, ends_at) VALUES ($1, 59.00, now() - interval '1 hour', $2)",
      [flashed.id, endsAt.toISOString()],
    );
    const res = await page(app.client(), `/products/${flashed.id}`);
    assert.equal(res.status, 200);
    const panel = res.html.match(/<div class="price-panel is-flash">[\s\S]*?<\/div>/)?.[0] ?? "";
    // The countdown is drawn on the server already (hh:mm:ss left), beside the deadline in shop time.
    assert.match(
      panel,
      /<span class="countdown countdown-running" role="timer" data-testid="countdown"><span class="countdown-label">距结束<\/span><span class="countdown-digits"><b>02<\/b>:<b>0[01]<\/b>:<b>\d\d<\/b>/,
    );
    assert.match(
      panel,
      new RegExp(`<time class="flash-ends" datetime="${endsAt.toISOString()}">\\d\\d/\\d\\d \\d\\d:\\d\\d 结束`),
    );
    assert.match(panel, /data-testid="sku-price">¥59\.00</);
    // The island counts on from the server's clock at render, to the absolute end.
    const picker = islandProps<{ flash: { endsAt: string; now: string; countdown: { ended: string } } }>(
      res.html,
      "SkuPicker",
    );
    assert.equal(picker.flash.endsAt, endsAt.toISOString());
    assert.ok(Math.abs(Date.parse(picker.flash.now) - Date.now()) < 60_000, picker.flash.now);
    assert.equal(picker.flash.countdown.ended, "本场秒杀已结束");
    const en = await page(app.client(), `/products/${flashed.id}`, { cookie: "lang=en" });
    assert.match(en.html, /<span class="countdown-label">Ends in<\/span>/);
    assert.equal(
      islandProps<{ flash: { countdown: { ended: string } } }>(en.html, "SkuPicker").flash.countdown.ended,
      "This flash sale has ended",
    );
    // At zero the countdown says the sale ended (the same component, a clock past the end).
    const over = renderToString(h(Countdown, {
      startsAt: picker.flash.now,
      endsAt: picker.flash.endsAt,
      initial: "",
      now: new Date(endsAt.getTime() + 1000).toISOString(),
      labels: { ...picker.flash.countdown as CountdownLabels },
    }));
    assert.equal(over, '<span class="countdown countdown-ended">本场秒杀已结束</span>');
    await app.db.query("DELETE FROM promotions WHERE product_id = $1", [flashed.id]);
  },
);

Deno.test("the product page answers 404 for an unknown, malformed or huge id", opts, async () => {
  for (const id of ["999999", "abc", "-1", "99999999999999999999"]) {
    const res = await page(app.client(), `/products/${id}`);
    assert.equal(res.status, 404, id);
  }
});

Deno.test(
  "分享赚: a distributor sees their tier-1 earning per SKU under the plan in force, with the poster; shoppers do not",
  opts,
  async () => {
    const shopperClient = await member("Shopper");
    const shopperPage = await page(shopperClient, `/products/${shirt.id}`);
    assert.equal(shopperPage.status, 200);
    assert.doesNotMatch(shopperPage.html, /分享赚/);

    const email = `dist-${uid()}@example.com`;
    const d = app.client();
    const user = await d.register(email, "Sharer");
    assert.equal(
      (await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "distributor" } })).status,
      200,
    );
    assert.equal((await d.login(email, "password-123")).status, 200);
    // The shopper's kept page of the same member level is not what the distributor gets.
    const res = await page(d, `/products/${shirt.id}`);
    assert.equal(res.status, 200);
    const props = islandProps<{ skus: { id: string; share?: string }[]; share: { posterUrl: string; link: string } }>(
      res.html,
      "SkuPicker",
    );
    // The default plan: 10 % of what a referred member pays, per unit.
    assert.equal(props.skus.find((s) => s.id === sku("红", "M"))?.share, "9.90");
    assert.equal(props.skus.find((s) => s.id === sku("蓝", "M"))?.share, "10.90");
    assert.match(res.html, /data-testid="share-earn">分享赚 ¥9\.90 起</);
    assert.equal(props.share.posterUrl, `/distributor/promote/poster/${shirt.id}.png`);
    assert.match(props.share.link, new RegExp(`/products/${shirt.id}\\?ref=${user.referralCode}$`));
    assert.match(res.html, /<img class="share-poster"[^>]*loading="lazy"/);
    const poster = await d.request("GET", props.share.posterUrl);
    assert.equal(poster.status, 200);
    assert.equal(poster.headers.get("content-type"), "image/png");
    await poster.body?.cancel();

    // A new plan on gross profit at 12 %: the page follows it at once (129.00 − 79.50 = 49.50 → 5.94).
    const plan = await admin.json("PUT", "/api/admin/commission-plan", {
      json: {
        tiers: [{ rate: "0.12" }],
        base: "gross_profit",
        eligibility: "everyone",
        selfPurchase: false,
        holdDays: 7,
      },
    });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    try {
      const after = await page(d, `/products/${cream.id}`);
      assert.match(after.html, /data-testid="share-earn">分享赚 ¥5\.94</);
      const en = await page(d, `/products/${cream.id}`, { "accept-language": "en" });
      assert.match(en.html, /Share &amp; earn ¥5\.94/);
    } finally {
      const back = await admin.json("PUT", "/api/admin/commission-plan", {
        json: {
          tiers: [{ rate: "0.10" }, { rate: "0.05" }, { rate: "0.02" }],
          base: "paid_amount",
          eligibility: "everyone",
          selfPurchase: false,
          holdDays: 7,
        },
      });
      assert.equal(back.status, 200, JSON.stringify(back.body));
    }
  },
);

// --- 立即购买 ----------------------------------------------------------------------------------

Deno.test(
  "POST /cart/buy takes the chosen SKU and quantity to checkout; bad input goes back to the page",
  opts,
  async () => {
    const c = await member();
    const ok = await post(c, "/cart/buy", { productId: shirt.id, skuId: sku("蓝", "M"), quantity: "3" });
    assert.equal(ok.status, 303);
    assert.equal(ok.location, `/checkout?buy=${sku("蓝", "M")}&qty=3`);
    // Without script the choices come as spec.<axis>.
    const specs = await post(c, "/cart/buy", {
      productId: shirt.id,
      "spec.颜色": "红",
      "spec.尺码": "M",
      quantity: "1",
    });
    assert.equal(specs.location, `/checkout?buy=${sku("红", "M")}&qty=1`);
    // Nothing chosen, a SKU of another product, a bad quantity.
    assert.equal(
      (await post(c, "/cart/buy", { productId: shirt.id, quantity: "1" })).location,
      `/products/${shirt.id}#choose`,
    );
    assert.equal(
      (await post(c, "/cart/buy", { productId: shirt.id, skuId: creamSku, quantity: "1" })).location,
      `/products/${shirt.id}#choose`,
    );
    for (const quantity of ["0", "-2", "100", "abc", ""]) {
      const bad = await post(c, "/cart/buy", { productId: cream.id, skuId: creamSku, quantity });
      assert.equal(bad.location, `/products/${cream.id}#buy-qty`, quantity);
    }
    assert.equal((await post(c, "/cart/buy", { productId: "x", quantity: "1" })).location, "/");
    // A visitor signs in first and comes back to the same checkout.
    const visitor = app.client();
    const v = await visitor.request("POST", "/cart/buy", {
      body: new URLSearchParams({ productId: cream.id, skuId: creamSku, quantity: "2" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    });
    assert.equal(v.status, 303);
    assert.equal(v.headers.get("location"), `/login?next=${encodeURIComponent(`/checkout?buy=${creamSku}&qty=2`)}`);
    const checkout = await visitor.request("GET", `/checkout?buy=${creamSku}&qty=2`);
    assert.equal(
      checkout.headers.get("location"),
      `/login?next=/checkout${encodeURIComponent(`?buy=${creamSku}&qty=2`)}`,
    );
  },
);

Deno.test("buy-now checkout lists only that line and placing it leaves the cart exactly as it was", opts, async () => {
  const c = await member();
  const cartPage = await page(c, "/cart");
  assert.match(cartPage.html, /data-testid="cart-empty"/);
  // The cart holds 2 red M and 1 cream; buy 2 creams now.
  assert.equal((await post(c, "/cart/set", { productId: shirt.id, skuId: sku("红", "M"), quantity: "2" })).status, 303);
  assert.equal((await post(c, "/cart/set", { productId: cream.id, skuId: creamSku, quantity: "1" })).status, 303);
  const items = async () =>
    (await c.json<{ items: { productId: string; skuId: string; quantity: number }[] }>("GET", "/api/cart")).body.items
      .map((i) => [i.productId, i.skuId, i.quantity]);
  const before = await items();
  const checkout = await page(c, `/checkout?buy=${creamSku}&qty=2`);
  assert.equal(checkout.status, 200);
  const lines = checkout.html.match(/data-testid="checkout-lines">[\s\S]*?<\/section>/)![0];
  assert.match(lines, /买买面霜/);
  assert.match(lines, /× 2/);
  assert.doesNotMatch(lines, /多规格T恤/);
  assert.match(checkout.html, /<input type="hidden" name="buy" value="\d+"\/>/);
  assert.match(checkout.html, /<input type="hidden" name="qty" value="2"\/>/);
  assert.match(checkout.html, /data-testid="total">¥258\.00</, "two creams ship free");
  // Applying a coupon field keeps the buy-now line.
  const csrf = checkout.html.match(/name="_csrf" value="([^"]+)"/)![1];
  const applied = await post(c, "/checkout", {
    _csrf: csrf,
    buy: creamSku,
    qty: "2",
    action: "apply",
    ...TEST_ADDRESS,
  });
  assert.equal(applied.status, 200);
  assert.match(applied.body, /× 2/);
  assert.doesNotMatch(applied.body, /多规格T恤/);
  const placed = await post(c, "/checkout", {
    _csrf: csrf,
    buy: creamSku,
    qty: "2",
    action: "place",
    key: uid(),
    ...TEST_ADDRESS,
  });
  assert.equal(placed.status, 303, placed.body.slice(0, 300));
  const orderId = placed.location!.split("/").pop()!;
  const order = await c.json<{ order: { items: { productId: string; quantity: number }[]; total: string } }>(
    "GET",
    `/api/orders/${orderId}`,
  );
  assert.deepEqual(order.body.order.items.map((i) => [i.productId, i.quantity]), [[cream.id, 2]]);
  assert.equal(order.body.order.total, "258.00");
  assert.deepEqual(await items(), before, "the cart is exactly as before");
});

Deno.test(
  "buy-now bad input: unknown SKU 404, quantity 0/negative/huge/not a number 400, more than the stock 409 and nothing changes",
  opts,
  async () => {
    const c = await member();
    assert.equal((await page(c, "/checkout?buy=999999999&qty=1")).status, 404);
    for (const q of ["0", "-1", "100", "1e9", "abc", "1.5"]) {
      const res = await page(c, `/checkout?buy=${creamSku}&qty=${q}`);
      assert.equal(res.status, 400, q);
      assert.match(res.html, /error-page/);
    }
    assert.equal((await page(c, "/checkout?buy=abc")).status, 400);
    // 6 creams when 5 are left (others' unpaid orders hold some): shown before, refused when placed.
    const [{ sellable }] = await app.db.query<{ sellable: number }>(
      "SELECT stock - reserved AS sellable FROM product_skus WHERE id = $1",
      [creamSku],
    );
    const want = Number(sellable) + 1;
    const short = await page(c, `/checkout?buy=${creamSku}&qty=${want}`);
    assert.equal(short.status, 200);
    assert.match(short.html, new RegExp(`买买面霜库存不足：仅剩 ${sellable} 件`));
    const csrf = short.html.match(/name="_csrf" value="([^"]+)"/)![1];
    const placed = await post(c, "/checkout", {
      _csrf: csrf,
      buy: creamSku,
      qty: String(want),
      action: "place",
      key: uid(),
      ...TEST_ADDRESS,
    });
    assert.equal(placed.status, 409);
    const [{ after }] = await app.db.query<{ after: number }>(
      "SELECT stock - reserved AS after FROM product_skus WHERE id = $1",
      [creamSku],
    );
    assert.equal(Number(after), Number(sellable), "nothing was reserved");
  },
);

Deno.test("two members buying the last unit now at once: one order, one 409, stock never negative", opts, async () => {
  const last = await product({ name: "最后一件", price: "50.00", costPrice: "10.00", stock: 1, lowStockThreshold: 0 });
  const lastSku = last.skus[0].id;
  const buyers = await Promise.all([member("A"), member("B")]);
  const forms = await Promise.all(buyers.map(async (c) => {
    const p = await page(c, `/checkout?buy=${lastSku}&qty=1`);
    return p.html.match(/name="_csrf" value="([^"]+)"/)![1];
  }));
  const results = await Promise.all(
    buyers.map((c, i) =>
      post(c, "/checkout", { _csrf: forms[i], buy: lastSku, qty: "1", action: "place", key: uid(), ...TEST_ADDRESS })
    ),
  );
  assert.deepEqual(results.map((r) => r.status).sort(), [303, 409]);
  const [row] = await app.db.query<{ stock: number; reserved: number }>(
    "SELECT stock, reserved FROM product_skus WHERE id = $1",
    [lastSku],
  );
  assert.deepEqual([Number(row.stock), Number(row.reserved)], [1, 1]);
});

// --- Cart ------------------------------------------------------------------------------------------

Deno.test(
  "the cart page: steppers as forms, line subtotals, tick boxes for checkout, select-all and the bar",
  opts,
  async () => {
    const c = await member();
    await post(c, "/cart/set", { productId: shirt.id, skuId: sku("蓝", "M"), quantity: "2" });
    await post(c, "/cart/set", { productId: cream.id, skuId: creamSku, quantity: "1" });
    const res = await page(c, "/cart");
    assert.equal(res.status, 200);
    const html = res.html;
    assert.equal([...html.matchAll(/data-testid="cart-line"/g)].length, 2);
    // Each line: a tick box in the checkout form, −/number/+ forms posting to /cart/set, its subtotal.
    assert.match(
      html,
      new RegExp(
        `<input type="checkbox" class="check" name="sel" value="${sku("蓝", "M")}" form="cart-checkout" checked`,
      ),
    );
    assert.match(html, /aria-label="减少多规格T恤的数量"/);
    assert.match(html, /aria-label="增加多规格T恤的数量"/);
    assert.match(
      html,
      new RegExp(`<input type="hidden" name="quantity" value="1"/><button type="submit" class="stepper-btn"`),
    );
    assert.match(html, /<label class="sr-only" for="q-\d+">多规格T恤的数量<\/label>/);
    assert.match(html, /aria-label="删除 多规格T恤"[^>]*>[\s\S]*?<span>删除<\/span><\/button>/);
    assert.match(html, /data-testid="line-total">¥218\.00</);
    assert.match(html, /data-testid="line-total">¥129\.00</);
    assert.doesNotMatch(html, />更新</, "no separate update button");
    // The checkout bar: a GET form to /checkout, select-all, the ticked total and count.
    assert.match(html, /<form id="cart-checkout" method="get" action="\/checkout" class="cart-bar"/);
    assert.match(html, /data-testid="select-all"/);
    assert.match(html, /data-testid="cart-total">¥347\.00</);
    assert.match(html, /data-testid="checkout"[^>]*>结算\(2\)</);
    const en = await page(c, "/cart", { "accept-language": "en" });
    assert.match(en.html, /Check out \(2\)/);
    assert.match(en.html, /One more Multi|One more 多规格T恤/);
    assert.doesNotMatch(en.html, /结算|全选|小计/);
  },
);

Deno.test("the empty cart says so and links back to the shop, in both languages", opts, async () => {
  const visitor = await page(app.client(), "/cart");
  assert.equal(visitor.status, 200);
  assert.match(visitor.html, /data-testid="cart-empty"/);
  assert.match(visitor.html, /购物车还是空的/);
  assert.match(visitor.html, /<a class="btn btn-primary" href="\/">去逛逛<\/a>/);
  assert.match(visitor.html, /href="\/login\?next=\/cart"/);
  const en = await page(app.client(), "/cart", { cookie: "lang=en" });
  assert.match(en.html, /Your cart is empty/);
  assert.match(en.html, />Go shopping</);
});

Deno.test(
  "cart steppers: set, remove, and bad input (negative, huge, not a number, unknown SKU, over the stock) change nothing wrong",
  opts,
  async () => {
    const c = await member();
    const line = { productId: shirt.id, skuId: sku("红", "M") };
    const qty = async () =>
      (await c.json<{ items: { skuId: string; quantity: number }[] }>("GET", "/api/cart")).body.items
        .find((i) => i.skuId === line.skuId)?.quantity ?? 0;
    let r = await post(c, "/cart/set", { ...line, quantity: "3" });
    assert.deepEqual([r.status, r.location], [303, "/cart"]);
    assert.equal(await qty(), 3);
    for (const quantity of ["-1", "100", "abc", "2.5", ""]) {
      r = await post(c, "/cart/set", { ...line, quantity });
      assert.deepEqual([r.status, r.location], [303, "/cart?notice=invalid"], quantity);
      assert.equal(await qty(), 3, quantity);
    }
    const notice = await page(c, "/cart?notice=invalid");
    assert.match(notice.html, /数量需为 1 到 99 之间的整数，购物车没有改动/);
    assert.doesNotMatch((await page(c, "/cart?notice=%3Cscript%3E")).html, /&lt;script|<script>alert/);
    // A SKU of another product, an unknown one.
    r = await post(c, "/cart/set", { productId: shirt.id, skuId: creamSku, quantity: "1" });
    assert.equal(r.location, "/cart?notice=gone");
    r = await post(c, "/cart/set", { productId: "999999", skuId: "999999", quantity: "1" });
    assert.equal(r.location, "/cart?notice=gone");
    // More than the stock (8): lowered to 8 with a notice; the product page's add goes to the cart the same way.
    r = await post(c, "/cart/set", { ...line, quantity: "50" });
    assert.equal(r.location, "/cart?notice=stock");
    assert.equal(await qty(), 8);
    r = await post(c, "/cart/set", { ...line, mode: "add", quantity: "1" });
    assert.equal(r.location, "/cart?notice=stock");
    assert.equal(await qty(), 8);
    assert.match((await page(c, "/cart?notice=stock")).html, /库存不足，已调整为可购买的最多数量/);
    // A sold-out SKU cannot be added; one with several SKUs needs a choice.
    r = await post(c, "/cart/set", { productId: shirt.id, skuId: sku("红", "L"), mode: "add", quantity: "1" });
    assert.equal(r.location, "/cart?notice=stock");
    r = await post(c, "/cart/set", { productId: shirt.id, mode: "add", quantity: "1" });
    assert.equal(r.location, `/products/${shirt.id}#choose`);
    // Fewer is always fine; 0 removes the line.
    r = await post(c, "/cart/set", { ...line, quantity: "7" });
    assert.equal(r.location, "/cart");
    assert.equal(await qty(), 7);
    r = await post(c, "/cart/set", { ...line, quantity: "0" });
    assert.equal(await qty(), 0);
    // The page's script gets JSON: the cart for its ticked lines, or 400 with the notice.
    await post(c, "/cart/set", { productId: cream.id, skuId: creamSku, quantity: "1" });
    const js = await postJson(c, { ...line, quantity: "2", sel: line.skuId });
    assert.equal(js.status, 200);
    assert.deepEqual(js.json.selected, [line.skuId]);
    assert.equal(js.json.summary.subtotal, "198.00", "only the ticked line is priced");
    assert.equal(js.json.lines.length, 2);
    const bad = await postJson(c, { ...line, quantity: "-5", sel: "" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.notice, "数量需为 1 到 99 之间的整数，购物车没有改动");
    assert.deepEqual(bad.json.selected, []);
    assert.equal(bad.json.lines.find((l) => l.skuId === line.skuId)?.quantity, 2);
    // A visitor's cart is a cookie: the answer is the cart as just written, and the line keeps its place.
    const v = app.client();
    await page(v, "/cart");
    await postJson(v, { productId: cream.id, skuId: creamSku, quantity: "1" });
    await postJson(v, { ...line, quantity: "1" });
    const stepped = await postJson(v, { productId: cream.id, skuId: creamSku, quantity: "2", sel: creamSku });
    assert.deepEqual(stepped.json.lines.map((l) => [l.skuId, l.quantity]), [[creamSku, 2], [line.skuId, 1]]);
    assert.equal(stepped.json.summary.subtotal, "258.00");
    // Without a token a member's post is refused.
    const forged = await c.request("POST", "/cart/set", {
      body: new URLSearchParams({ ...line, quantity: "9" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(forged.status, 403);
    await forged.body?.cancel();
    assert.equal(await qty(), 2);
  },
);

Deno.test(
  "ticked lines: the summary prices the selection, checkout takes only them and the rest stays",
  opts,
  async () => {
    const c = await member();
    await post(c, "/cart/set", { productId: shirt.id, skuId: sku("蓝", "M"), quantity: "1" });
    await post(c, "/cart/set", { productId: cream.id, skuId: creamSku, quantity: "1" });
    const all = await cartJson(c);
    assert.equal(all.summary.count, 2);
    assert.equal(all.summary.subtotal, "238.00");
    const one = await cartJson(c, sku("蓝", "M"));
    assert.deepEqual(one.selected, [sku("蓝", "M")]);
    assert.deepEqual([one.summary.count, one.summary.subtotal, one.summary.shipping], [1, "109.00", "0.00"]);
    const none = await cartJson(c, "");
    assert.deepEqual([none.summary.count, none.summary.subtotal], [0, "0.00"]);
    const junk = await cartJson(c, "abc,-1,99999999999999999999");
    assert.deepEqual(junk.selected, []);
    // The cart form without script: tick boxes `sel`, and `pick=1`.
    const checkout = await page(c, `/checkout?pick=1&sel=${creamSku}`);
    assert.equal(checkout.status, 200);
    const lines = checkout.html.match(/data-testid="checkout-lines">[\s\S]*?<\/ul>/)![0];
    assert.match(lines, /买买面霜/);
    assert.doesNotMatch(lines, /多规格T恤/);
    assert.match(checkout.html, new RegExp(`<input type="hidden" name="lines" value="${creamSku}"/>`));
    const nothing = await page(c, "/checkout?pick=1");
    assert.deepEqual([nothing.status, nothing.location], [303, "/cart?notice=none"]);
    assert.match((await page(c, "/cart?notice=none")).html, /请先勾选要结算的商品/);
    assert.equal((await page(c, "/checkout?lines=1,abc")).status, 400);
    const csrf = checkout.html.match(/name="_csrf" value="([^"]+)"/)![1];
    const placed = await post(c, "/checkout", {
      _csrf: csrf,
      lines: creamSku,
      action: "place",
      key: uid(),
      ...TEST_ADDRESS,
    });
    assert.equal(placed.status, 303, placed.body.slice(0, 300));
    const cart = await c.json<{ items: { skuId: string }[] }>("GET", "/api/cart");
    assert.deepEqual(cart.body.items.map((i) => i.skuId), [sku("蓝", "M")], "the unticked line stays");
  },
);

Deno.test("teardown", opts, async () => {
  await dispatcher.stop();
  await app.close();
});
