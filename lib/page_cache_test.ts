import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Server } from "socket.io";
import { createApp, loadAppRoutes } from "../app.tsx";
import { Dispatcher } from "../realtime/dispatcher.ts";
import { createLogger } from "./log.ts";
import { PageCache, wirePageCache } from "./page_cache.ts";
import { nextCatalogueChange } from "../services/catalogue.ts";
import { buyAndPay, createTestApp, type TestApp, TestClient } from "../tests/helpers.ts";
import type { Db } from "../db/db.ts";
import { buildIslands } from "./islands_build.ts";
import { loadStaticAssets } from "./static_files.ts";
import { CryptoBox } from "./crypto_box.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const log = createLogger("silent");

/** A page cache fed by a real outbox dispatcher over `db`, as `main.ts` wires one per instance. */
function cacheFor(db: Db) {
  const cache = new PageCache({ ttlMs: 60_000, maxEntries: 100, nextChange: () => nextCatalogueChange(db) });
  const dispatcher = new Dispatcher(db, new Server(), log, 60_000);
  wirePageCache(cache, dispatcher);
  return { cache, dispatcher };
}

let first!: ReturnType<typeof cacheFor>;
const app: TestApp = await createTestApp({}, (db) => {
  first = cacheFor(db);
  return { pageCache: first.cache };
});
const { cache, dispatcher } = first;
await dispatcher.start();

// A second instance on the same database: its own cache, its own dispatcher.
const second = cacheFor(app.db);
await second.dispatcher.start();
const other = createApp({
  db: app.db,
  settings: app.settings,
  log,
  islands: await buildIslands(),
  assets: await loadStaticAssets(),
  shop: app.shop,
  box: CryptoBox.fromSettings(app.settings),
  pageCache: second.cache,
}, await loadAppRoutes());
const otherClient = () => new TestClient(async (req) => await other.fetch(req), "http://localhost");

const manager = app.client();
assert.equal((await manager.login(app.settings.ADMIN_EMAIL, app.settings.ADMIN_PASSWORD!)).status, 200);

async function product(name: string, price: string, stock = 50, lowStockThreshold = 2): Promise<string> {
  const res = await manager.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name, category: "beauty", price, costPrice: "10.00", stock, lowStockThreshold },
  });
  assert.equal(res.status, 201);
  return res.body.product.id;
}

async function get(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await c.request("GET", path, { headers });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

const cream = await product("缓存面霜", "100.00");
const tea = await product("缓存乌龙茶", "60.00", 3, 1);

Deno.test("a shop page is rendered once, then answered from memory without any visitor's token", opts, async () => {
  const before = { ...cache.stats };
  const a = await get(app.client(), `/products/${cream}`);
  const b = await get(app.client(), `/products/${cream}`);
  assert.equal(a.status, 200);
  assert.equal(b.html, a.html, "two visitors get the same page");
  assert.equal(cache.stats.misses, before.misses + 1);
  assert.equal(cache.stats.hits, before.hits + 1);
  assert.match(a.html, /<h1>缓存面霜<\/h1>/);
  assert.match(a.html, /data-testid="add-to-cart"/, "the visitor can still add to the cart");
  assert.doesNotMatch(a.html, /name="_csrf"/, "no CSRF token in a page shared by every visitor");
  assert.doesNotMatch(a.html, /__CSRF_SLOT/);
  assert.equal(b.headers.get("cache-control"), "private, no-cache");
  assert.match(b.headers.get("etag") ?? "", /^"p-[0-9a-f]+"$/);
  assert.match(b.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  // A tracking parameter, or the same filters in another order, is the same page.
  const list1 = await get(app.client(), "/?category=beauty&sort=price_asc");
  const hits = cache.stats.hits;
  const list2 = await get(app.client(), "/?sort=price_asc&utm_source=x&category=beauty");
  assert.equal(list2.html, list1.html);
  assert.equal(cache.stats.hits, hits + 1);
  // Each language is its own page.
  const en = await get(app.client(), `/products/${cream}`, { cookie: "lang=en" });
  assert.match(en.html, /<html lang="en">/);
});

Deno.test("a price change through the admin API shows on the next request, on every instance", opts, async () => {
  const before = await get(app.client(), `/products/${cream}`);
  assert.match(before.html, /¥100\.00/);
  await get(app.client(), "/");
  const elsewhere = await get(otherClient(), `/products/${cream}`);
  assert.match(elsewhere.html, /¥100\.00/);
  const kept = cache.size;
  assert.ok(kept > 0);

  const patched = await manager.json("PATCH", `/api/admin/products/${cream}`, { json: { price: "88.00" } });
  assert.equal(patched.status, 200);
  // This instance dispatched the change before answering the manager: no waiting for a TTL.
  const after = await get(app.client(), `/products/${cream}`);
  assert.match(after.html, /¥88\.00/);
  assert.doesNotMatch(after.html, /¥100\.00/);
  assert.match((await get(app.client(), "/")).html, /¥88\.00/);
  // The other instance drops its copy when its dispatcher delivers the outbox event.
  await second.dispatcher.poke();
  assert.match((await get(otherClient(), `/products/${cream}`)).html, /¥88\.00/);
  const [event] = await app.db.query<{ data: { productIds: string[] } }>(
    "SELECT data FROM events WHERE type = 'catalogue_changed' ORDER BY id DESC LIMIT 1",
  );
  assert.deepEqual(event.data.productIds, [cream]);
});

Deno.test(
  "a signed-in member sees their member price, name and token; a visitor gets the list price",
  opts,
  async () => {
    const member = app.client();
    const user = await member.register("gold-cache@example.com", "Gold Member");
    await app.db.query("UPDATE users SET level = 'gold' WHERE id = $1", [user.id]);
    const anon = await get(app.client(), `/products/${cream}`);
    assert.match(anon.html, /data-testid="sku-price">¥88\.00<\/span>/);
    assert.doesNotMatch(anon.html, /Gold Member/);

    const mine = await get(member, `/products/${cream}`);
    assert.match(mine.html, /data-testid="sku-price">¥83\.60<\/span>/, "gold price: 88.00 × 0.95");
    assert.match(mine.html, /Gold Member/);
    assert.equal(mine.headers.get("cache-control"), "no-store");
    const tokens = [...mine.html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(tokens.length >= 2, "logout and add-to-cart forms");
    assert.ok(tokens.every((t) => t === member.cookies.get("csrf")), "the member's own token");

    // Another gold member gets the same kept fragment, with their own name and token.
    const other = app.client();
    const otherUser = await other.register("gold-cache-2@example.com", "Second Gold");
    await app.db.query("UPDATE users SET level = 'gold' WHERE id = $1", [otherUser.id]);
    const hits = cache.stats.hits;
    const theirs = await get(other, `/products/${cream}`);
    assert.equal(cache.stats.hits, hits + 1);
    assert.match(theirs.html, /Second Gold/);
    assert.doesNotMatch(theirs.html, /Gold Member/);
    assert.ok(theirs.html.includes(`name="_csrf" value="${other.cookies.get("csrf")}"`));
    assert.ok(!theirs.html.includes(member.cookies.get("csrf")!));
    // The member's list page shows member prices too.
    assert.match((await get(member, "/")).html, /¥83\.60/);
    // The form works with the member's token.
    const added = await member.form("/cart/set", { productId: cream, quantity: "1", mode: "add" });
    assert.equal(added.status, 303);
  },
);

Deno.test(
  "a visitor adds to the cart from a kept page; a form without token or proof of origin is refused",
  opts,
  async () => {
    const visitor = app.client();
    await get(visitor, `/products/${cream}`);
    const form = "productId=" + cream + "&quantity=1&mode=add";
    const ok = await visitor.request("POST", "/cart/set", {
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    });
    assert.equal(ok.status, 303);
    assert.match((await get(visitor, "/cart")).html, /缓存面霜/);
    const bare = await app.fetch(
      new Request("http://localhost/cart/set", {
        method: "POST",
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    );
    assert.equal(bare.status, 403);
    const crossSite = await app.fetch(
      new Request("http://localhost/cart/set", {
        method: "POST",
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
      }),
    );
    assert.equal(crossSite.status, 403);
  },
);

Deno.test(
  "an order that leaves only a few units shows 'only N left' at once; the count above is never shown",
  opts,
  async () => {
    const page = await get(app.client(), `/products/${tea}`);
    assert.match(page.html, /data-testid="sku-stock"><strong>有货<\/strong>/);
    assert.doesNotMatch(page.html, />仅剩/);
    const buyer = app.client();
    await buyer.register("low-stock-buyer@example.com", "Buyer");
    await buyAndPay(buyer, app.settings.paymentSandboxSecret, tea, 2);
    // The stock event reaches the cache through the outbox (NOTIFY wakes the dispatcher): moments, not
    // the entry's minute-long TTL.
    let after = await get(app.client(), `/products/${tea}`);
    for (let i = 0; i < 30 && !/>仅剩 1 件</.test(after.html); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await get(app.client(), `/products/${tea}`);
    }
    assert.match(after.html, />仅剩 1 件</);
  },
);

Deno.test(
  "a flash sale starting later appears when it starts, without any write (the entry expires then)",
  opts,
  async () => {
    const startsAt = new Date(Date.now() + 1500);
    // Promotions are not written by a service yet; this stands for one (which would announce itself).
    await app.db.query(
      "INSERT INTO promotions (product_id, price, starts_at, ends_at) VALUES ($1, '49.00', $2, $3)",
      [cream, startsAt, new Date(Date.now() + 3600_000)],
    );
    cache.invalidate("all");
    assert.doesNotMatch((await get(app.client(), `/products/${cream}`)).html, /限时抢购/);
    assert.doesNotMatch((await get(app.client(), `/products/${cream}`)).html, /限时抢购/);
    await new Promise((r) => setTimeout(r, startsAt.getTime() - Date.now() + 50));
    const started = (await get(app.client(), `/products/${cream}`)).html;
    assert.match(started, /<span class="flash-tag">[\s\S]*?限时抢购<\/span>/);
    assert.match(started, /data-testid="sku-price">¥49\.00</);
  },
);

Deno.test(
  "kept pages answer br, gzip or identity as negotiated, the same HTML, and 304 for a current copy",
  opts,
  async () => {
    const path = "/?category=beauty";
    const plain = await app.fetch(new Request(`http://localhost${path}`));
    const html = await plain.text();
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(plain.headers.get("vary"), "Accept-Encoding");
    const br = await app.fetch(
      new Request(`http://localhost${path}`, { headers: { "accept-encoding": "gzip, deflate, br" } }),
    );
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.equal(new TextDecoder().decode(brotliDecompressSync(new Uint8Array(await br.arrayBuffer()))), html);
    const gz = await app.fetch(
      new Request(`http://localhost${path}`, { headers: { "accept-encoding": "gzip, br;q=0" } }),
    );
    assert.equal(gz.headers.get("content-encoding"), "gzip");
    assert.equal(new TextDecoder().decode(gunzipSync(new Uint8Array(await gz.arrayBuffer()))), html);
    const none = await app.fetch(
      new Request(`http://localhost${path}`, { headers: { "accept-encoding": "identity" } }),
    );
    assert.equal(none.headers.get("content-encoding"), null);
    assert.equal(await none.text(), html);

    const etag = br.headers.get("etag")!;
    assert.notEqual(etag, plain.headers.get("etag"), "each coding is its own representation");
    const again = await app.fetch(
      new Request(`http://localhost${path}`, { headers: { "accept-encoding": "br", "if-none-match": etag } }),
    );
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    const stale = await app.fetch(new Request(`http://localhost${path}`, { headers: { "if-none-match": '"p-0"' } }));
    assert.equal(stale.status, 200);
    await stale.body?.cancel();
  },
);

Deno.test(
  "JSON, CSS and island scripts are compressed; static files and scripts answer 304 to their ETag",
  opts,
  async () => {
    for (let i = 0; i < 4; i++) await product(`压缩测试 ${i}`, "10.00");
    const api = await app.fetch(new Request("http://localhost/api/products", { headers: { "accept-encoding": "br" } }));
    assert.equal(api.headers.get("content-encoding"), "br");
    assert.match(api.headers.get("vary") ?? "", /Accept-Encoding/);
    const body = JSON.parse(new TextDecoder().decode(brotliDecompressSync(new Uint8Array(await api.arrayBuffer()))));
    assert.ok(Array.isArray(body.items));

    const home = await (await app.fetch(new Request("http://localhost/"))).text();
    const css = home.match(/href="(\/static\/app\.css\?v=[^"]+)"/)![1];
    const gz = await app.fetch(new Request(`http://localhost${css}`, { headers: { "accept-encoding": "gzip" } }));
    assert.equal(gz.headers.get("content-encoding"), "gzip");
    assert.match(gz.headers.get("cache-control") ?? "", /immutable/);
    const tag = gz.headers.get("etag")!;
    await gz.body?.cancel();
    const cached = await app.fetch(new Request(`http://localhost${css}`, { headers: { "if-none-match": tag } }));
    assert.equal(cached.status, 304);

    const admin = await (await manager.request("GET", "/admin")).text();
    const script = admin.match(/<script type="module" src="([^"]+)"/)![1];
    const js = await app.fetch(new Request(`http://localhost${script}`, { headers: { "accept-encoding": "br" } }));
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("content-encoding"), null, "the page module is a few bytes of imports");
    const imports = [...(await js.text()).matchAll(/import\s*"\.\/([^"]+)"/g)].map((m) => m[1]);
    assert.ok(imports.length >= 2, "the page module imports each island's own script");
    const island = await app.fetch(
      new Request(`http://localhost/_islands/${imports[0]}`, { headers: { "accept-encoding": "br" } }),
    );
    assert.equal(island.status, 200);
    assert.match(island.headers.get("cache-control") ?? "", /immutable/);
    await island.body?.cancel();
  },
);

Deno.test("teardown", opts, async () => {
  await dispatcher.stop();
  await second.dispatcher.stop();
  await app.close();
});
