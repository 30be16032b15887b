import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { PNG } from "pngjs";
import jsqr from "jsqr";
import { createTestApp, startTestServer, type TestClient } from "./helpers.ts";
import { forbidDialogs, launchBrowser, screenshot } from "./browser_helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { posterPng, posterSvg, svgToPng, wrapText, xmlText } from "../services/promote.ts";
import { conversion } from "../islands/PromoteStats.tsx";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const ORIGIN = "http://localhost";
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** jsQR is CommonJS (webpack UMD): its `module.exports` is the decoder, which also carries itself as `default`. */
const jsQR = jsqr.default;
const XSS_NAME = "<img src=x onerror=alert(1)>";

interface Member {
  client: TestClient;
  id: string;
  code: string;
}

async function member(name: string, referralCode?: string, client = app.client()): Promise<Member> {
  const user = await client.register(
    `${crypto.randomUUID().slice(0, 8)}@example.com`,
    name,
    referralCode ? { referralCode } : {},
  );
  return { client, id: user.id, code: user.referralCode };
}

async function product(name: string, price = "88.00"): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name, category: "beauty", price, costPrice: "10.00", stock: 100, lowStockThreshold: 1 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function buyAndPay(buyer: TestClient, productId: string): Promise<string> {
  const created = await buyer.json<{ order: { id: string } }>("POST", "/api/orders", {
    json: {
      items: [{ productId, quantity: 1 }],
      address: { name: "李四", phone: "13800001234", line1: "人民路 1 号", city: "上海" },
    },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const pay = await buyer.json<{ payment: { id: string; amount: string } }>(
    "POST",
    `/api/orders/${created.body.order.id}/pay`,
    { json: { method: "sandbox" } },
  );
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  const hook = await app.client().json("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) },
  });
  assert.equal(hook.status, 200);
  return created.body.order.id;
}

/** Checks the PNG signature, decodes the image and returns the text of the QR code in it. */
function readPoster(bytes: Uint8Array): { width: number; height: number; qr: string | undefined } {
  assert.deepEqual([...bytes.slice(0, 8)], PNG_SIGNATURE, "PNG signature");
  const png = PNG.sync.read(Buffer.from(bytes));
  const code = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  return { width: png.width, height: png.height, qr: code?.data };
}

async function getPoster(client: TestClient, productId: string | number) {
  const res = await client.request("GET", `/distributor/promote/poster/${productId}.png`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes };
}

async function stats(client: TestClient) {
  const res = await client.json<{
    totals: { clicks: number; registrations: number; orders: number };
    products: { productId: string; name: string; clicks: number; orders: number }[];
  }>("GET", "/distributor/promote/stats");
  assert.equal(res.status, 200);
  return res.body;
}

/** The number shown in the page's stat with this test id. */
function statOf(html: string, key: string): string | undefined {
  return html.match(new RegExp(`data-testid="promote-${key}"[^>]*>([^<]*)<`))?.[1];
}

const cream = await product("焕颜修护面霜 50ml");
const tea = await product("高山乌龙茶 250g", "128.00");
const alice = await member("推广员 Alice");

Deno.test("the poster is a 750×1334 PNG whose QR code is the member's product link with their code", opts, async () => {
  const { res, bytes } = await getPoster(alice.client, cream);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.match(res.headers.get("cache-control") ?? "", /^private\b/);
  const poster = readPoster(bytes);
  assert.equal(poster.width, 750);
  assert.equal(poster.height, 1334);
  assert.equal(poster.qr, `${ORIGIN}/products/${cream}?ref=${alice.code}`);
});

Deno.test(
  "the promote page shows the links, a QR code and the statistics, which follow clicks, sign-ups and paid orders",
  opts,
  async () => {
    const owner = await member("Owner");
    const page = await owner.client.request("GET", "/distributor/promote");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(`value="${ORIGIN}/register?ref=${owner.code}"`), "sign-up link");
    assert.ok(html.includes(`value="${ORIGIN}/?ref=${owner.code}"`), "shop link");
    assert.match(html, /data-testid="promote-qr"[^>]*><svg [^>]*viewBox/, "inline QR code SVG");
    assert.ok(html.includes(`href="/distributor/promote/poster/${cream}.png"`), "poster link of a best seller");
    assert.ok(html.includes(`value="${ORIGIN}/products/${cream}?ref=${owner.code}"`), "product link");
    assert.equal(statOf(html, "clicks"), "0");
    assert.equal(statOf(html, "registrations"), "0");
    assert.equal(statOf(html, "orders"), "0");
    assert.equal(statOf(html, "conversion"), "—");
    assert.ok(html.includes('"name":"PromoteStats"'), "the statistics are a live island");

    // A visitor clicks the shop link and a product link, signs up through it and buys.
    const visitor = app.client();
    assert.equal((await visitor.request("GET", `/?ref=${owner.code}`)).status, 200);
    assert.equal((await visitor.request("GET", `/products/${tea}?ref=${owner.code}`)).status, 200);
    // The owner's own clicks do not count.
    await owner.client.request("GET", `/?ref=${owner.code}`);
    await app.visits.flush(); // clicks are counted in batches, off the request path
    let s = await stats(owner.client);
    assert.equal(s.totals.clicks, 2);
    assert.deepEqual(s.products.map((p) => [p.productId, p.clicks, p.orders]), [[tea, 1, 0]]);
    const events = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE type = 'link_click' AND $1 = ANY(rooms)",
      [`user:${owner.id}`],
    );
    assert.equal(events[0].n, 2, "each click is a live event in the owner's room");

    await member("Visitor", owner.code, visitor);
    await buyAndPay(visitor, tea);
    // An unpaid order through the link does not count.
    await visitor.json("POST", "/api/orders", {
      json: {
        items: [{ productId: cream, quantity: 1 }],
        address: { name: "李四", phone: "13800001234", line1: "人民路 1 号", city: "上海" },
      },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    s = await stats(owner.client);
    assert.deepEqual(s.totals, { clicks: 2, registrations: 1, orders: 1 });
    assert.deepEqual(s.products.map((p) => [p.productId, p.clicks, p.orders]), [[tea, 1, 1]]);

    const after = await (await owner.client.request("GET", "/distributor/promote")).text();
    assert.equal(statOf(after, "clicks"), "2");
    assert.equal(statOf(after, "registrations"), "1");
    assert.equal(statOf(after, "orders"), "1");
    assert.equal(statOf(after, "conversion"), "50.0%");
    assert.match(after, new RegExp(`data-product-id="${tea}"`));

    // Nobody else's figures leak in: Alice still has none of these.
    const mine = await stats(alice.client);
    assert.equal(mine.totals.registrations, 0);
    assert.equal(mine.totals.orders, 0);
  },
);

Deno.test("without a session: the page redirects to login, the poster and the statistics are 401", opts, async () => {
  const anon = app.client();
  const page = await anon.request("GET", "/distributor/promote");
  assert.equal(page.status, 302);
  assert.equal(page.headers.get("location"), "/login?next=%2Fdistributor%2Fpromote");
  const { res, bytes } = await getPoster(anon, cream);
  assert.equal(res.status, 401);
  assert.notDeepEqual([...bytes.slice(0, 8)], PNG_SIGNATURE);
  assert.equal((await anon.request("GET", "/distributor/promote/stats")).status, 401);
});

Deno.test(
  "a member only ever gets their own poster: the URL names no member and query tricks are ignored",
  opts,
  async () => {
    const bob = await member("Bob");
    for (const path of [`${cream}.png`, `${cream}.png?ref=${alice.code}&member=${alice.id}&userId=${alice.id}`]) {
      const res = await bob.client.request("GET", `/distributor/promote/poster/${path}`);
      assert.equal(res.status, 200);
      const { qr } = readPoster(new Uint8Array(await res.arrayBuffer()));
      assert.equal(qr, `${ORIGIN}/products/${cream}?ref=${bob.code}`);
    }
    // A ref cookie from Alice's link does not change whose poster it is.
    await bob.client.request("GET", `/?ref=${alice.code}`);
    const { bytes } = await getPoster(bob.client, cream);
    assert.equal(readPoster(bytes).qr, `${ORIGIN}/products/${cream}?ref=${bob.code}`);
  },
);

Deno.test("a product that does not exist, is off shelf or is not a number gets 404", opts, async () => {
  assert.equal((await getPoster(alice.client, 999999999)).res.status, 404);
  assert.equal((await getPoster(alice.client, "abc")).res.status, 404);
  assert.equal((await alice.client.request("GET", `/distributor/promote/poster/${cream}.jpg`)).status, 404);
  const hidden = await product("下架商品");
  const patch = await admin.json("PATCH", `/api/admin/products/${hidden}`, { json: { onSale: false } });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  assert.equal((await getPoster(alice.client, hidden)).res.status, 404);
});

Deno.test(
  "XSS: a member named like markup gets a valid poster and a page where the name is escaped",
  opts,
  async () => {
    for (const name of [XSS_NAME, "Tom & Jerry <b>\"'"]) {
      const m = await member(name);
      const { res, bytes } = await getPoster(m.client, tea);
      assert.equal(res.status, 200);
      assert.equal(readPoster(bytes).qr, `${ORIGIN}/products/${tea}?ref=${m.code}`);
      const html = await (await m.client.request("GET", "/distributor/promote")).text();
      assert.ok(!html.includes(XSS_NAME), "no raw markup from the name");
      assert.ok(!html.includes("<b>"), "no raw markup from the name");
    }
    const html = await (await (await member(XSS_NAME)).client.request("GET", "/distributor/promote")).text();
    assert.ok(html.includes("&lt;img src=x onerror=alert(1)"), "the name is shown escaped");
  },
);

Deno.test("the poster SVG escapes every text and drops characters XML cannot carry", opts, async () => {
  const svg = await posterSvg({
    product: { id: "1", name: `A & B <script>alert(1)</script>`, name_en: "A B", category_slug: "beauty" },
    price: "9.90",
    link: `${ORIGIN}/products/1?ref=ABCDEFGH`,
    from: `来自 ${XSS_NAME}\u0000\u0007\ud800 的推荐`,
    scan: "scan",
    shopName: XSS_NAME,
  });
  assert.ok(!svg.includes("<script"));
  assert.ok(!svg.includes("<img"));
  assert.ok(![...svg].some((ch) => ch.charCodeAt(0) < 0x09), "no control characters");
  assert.ok(svg.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(svg.includes("A &amp; B &lt;script&gt;"));
  assert.ok(!/<text[^>]*>[^<]*"/.test(svg), "no raw quote in text");
  assert.ok(!/[\ud800-\udfff]/.test(svg.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "")), "no lone surrogate");
  const png = await svgToPng(svg, { loadSystemFonts: false });
  assert.deepEqual([...png.slice(0, 8)], PNG_SIGNATURE, "the escaped SVG parses and renders");
  assert.equal(xmlText(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
});

Deno.test("without any font the poster still renders, and its QR code still decodes", opts, async () => {
  const link = `${ORIGIN}/products/${cream}?ref=${alice.code}`;
  const png = await posterPng(
    {
      product: { id: cream, name: "焕颜修护面霜", name_en: "Cream", category_slug: "beauty" },
      price: "88.00",
      link,
      from: "来自 Alice 的推荐",
      scan: "长按识别二维码",
      shopName: "分享商城",
    },
    { loadSystemFonts: false },
  );
  assert.equal(readPoster(png).qr, link);
});

Deno.test("text wrapping and conversion helpers", opts, () => {
  assert.deepEqual(wrapText("短名", 10, 2), ["短名"]);
  assert.deepEqual(wrapText("一二三四五六七八九十", 4, 2), ["一二三四", "五六七…"]);
  assert.deepEqual(wrapText("one two three", 100, 1), ["one two three"]);
  assert.equal(conversion(0, 0), "—");
  assert.equal(conversion(1, 3), "33.3%");
  assert.equal(conversion(2, 2), "100.0%");
});

Deno.test(
  "browser: the statistics count clicks and sign-ups live, and a markup name never runs as script",
  opts,
  async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      const admin = server.client();
      assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
      const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
        json: {
          name: "焕颜修护面霜",
          category: "beauty",
          price: "88.00",
          costPrice: "10.00",
          stock: 10,
          lowStockThreshold: 1,
        },
      });
      assert.equal(created.status, 201);
      const productId = created.body.product.id;
      const owner = server.client();
      const user = await owner.register("owner@example.com", XSS_NAME);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      await context.addCookies([...owner.cookies].map(([name, value]) => ({ name, value, url: server.url })));
      const page = await context.newPage();
      forbidDialogs(page, errors);
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      await page.goto(`${server.url}/distributor/promote`);
      await page.locator(".live-indicator.live-live").waitFor({ timeout: 10_000 });
      assert.equal(await page.locator("[data-testid=promote-clicks]").textContent(), "0");

      const visitor = server.client();
      await visitor.request("GET", `/?ref=${user.referralCode}`);
      await visitor.request("GET", `/products/${productId}?ref=${user.referralCode}`);
      await page.locator("[data-testid=promote-clicks]", { hasText: /^2$/ }).waitFor({ timeout: 10_000 });
      await page.locator(`[data-product-id="${productId}"]`).waitFor({ timeout: 10_000 });
      await visitor.register("visitor@example.com", "Visitor", { referralCode: user.referralCode });
      await page.locator("[data-testid=promote-registrations]", { hasText: /^1$/ }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator("[data-testid=promote-conversion]").textContent(), "0.0%");
      await screenshot(page, "60-promote");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
