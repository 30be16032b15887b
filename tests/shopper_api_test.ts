/**
 * The shopper API of API_CONTRACT.md: categories, my orders, claimable coupons (list, claim, my coupons,
 * used at checkout and given back on cancel or expiry), and the after-sales kinds.
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, TEST_ADDRESS, type TestClient } from "./helpers.ts";
import { expireDueOrders } from "../services/orders.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const uid = () => crypto.randomUUID().slice(0, 8);

interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string> };
}

function assertError(res: { status: number; body: unknown }, status: number, code: string, fields: string[] = []) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const body = res.body as ApiError;
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  for (const f of fields) {
    assert.equal(typeof body.error.fields?.[f], "string", `fields.${f} missing in ${JSON.stringify(body)}`);
  }
}

const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const alice = app.client();
await alice.register(`alice-${uid()}@example.com`, "Alice");
const bob = app.client();
await bob.register(`bob-${uid()}@example.com`, "Bob");
const anon = app.client();

async function product(price = "100.00", category = "beauty"): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name: `商品 ${uid()}`, category, price, costPrice: "10.00", stock: 500, lowStockThreshold: 1 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function coupon(fields: Record<string, unknown>): Promise<string> {
  const code = `C${uid()}`.toUpperCase();
  const res = await admin.json("POST", "/api/admin/coupons", {
    json: { code, kind: "amount_off", value: "20.00", ...fields },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return code;
}

async function order(client: TestClient, productId: string, couponCode?: string) {
  return await client.json<{ order: { id: string; status: string; discount: string; total: string } }>(
    "POST",
    "/api/orders",
    {
      json: { items: [{ productId, quantity: 1 }], address: TEST_ADDRESS, ...(couponCode ? { couponCode } : {}) },
      headers: { "idempotency-key": crypto.randomUUID() },
    },
  );
}

interface MyCoupon {
  code: string;
  kind: string;
  value: string;
  minSubtotal: string | null;
  endsAt: string | null;
  usedAt: string | null;
  status: string;
}

async function myCoupons(client: TestClient, query = "") {
  const res = await client.json<{ items: MyCoupon[]; total: number }>("GET", `/api/me/coupons${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

Deno.test(
  "GET /api/categories lists categories with parentId and icon, named in the caller's language",
  opts,
  async () => {
    await product("10.00", "beauty");
    const zh = await anon.json<{ items: Record<string, unknown>[] }>("GET", "/api/categories");
    assert.equal(zh.status, 200);
    const beauty = zh.body.items.find((c) => c.slug === "beauty");
    assert.ok(beauty, JSON.stringify(zh.body));
    assert.equal(typeof beauty.id, "string");
    assert.equal(beauty.parentId, null);
    assert.equal(typeof beauty.icon, "string");
    assert.ok(String(beauty.icon).length > 0);
    assert.equal(typeof beauty.name, "string");
    const en = await anon.json<{ items: Record<string, unknown>[] }>("GET", "/api/categories", {
      headers: { "accept-language": "en" },
    });
    assert.equal(en.body.items.find((c) => c.slug === "beauty")?.name, beauty.nameEn);
  },
);

Deno.test(
  "GET /api/orders: only the caller's orders, newest first, filtered by one status or a list",
  opts,
  async () => {
    assertError(await anon.json("GET", "/api/orders"), 401, "unauthenticated");
    const pid = await product();
    const carol = app.client();
    await carol.register(`carol-${uid()}@example.com`, "Carol");
    const first = await order(carol, pid);
    const paidId = await buyAndPay(carol, app.settings.paymentSandboxSecret, pid);
    const third = await order(carol, pid);
    await carol.json("POST", `/api/orders/${third.body.order.id}/cancel`);
    const bobs = await order(bob, pid);
    assert.equal(bobs.status, 201);

    const all = await carol.json<{ items: { id: string; status: string; items: unknown[] }[]; total: number }>(
      "GET",
      "/api/orders",
    );
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3);
    assert.deepEqual(all.body.items.map((o) => o.id), [third.body.order.id, paidId, first.body.order.id]);
    assert.ok(all.body.items.every((o) => Array.isArray(o.items)), "full order views");
    assert.ok(!all.body.items.some((o) => o.id === bobs.body.order.id), "never another member's order");

    const paid = await carol.json<{ items: { id: string }[]; total: number }>("GET", "/api/orders?status=paid");
    assert.deepEqual(paid.body.items.map((o) => o.id), [paidId]);
    const two = await carol.json<{ items: { id: string }[]; total: number }>(
      "GET",
      "/api/orders?status=pending_payment,cancelled",
    );
    assert.deepEqual(two.body.items.map((o) => o.id), [third.body.order.id, first.body.order.id]);
    const paged = await carol.json<{ items: { id: string }[]; total: number }>("GET", "/api/orders?page=2&pageSize=2");
    assert.deepEqual(paged.body.items.map((o) => o.id), [first.body.order.id]);
    assert.equal(paged.body.total, 3);

    assertError(await carol.json("GET", "/api/orders?status=paid,lost"), 400, "invalid_input", ["status"]);
    assertError(await carol.json("GET", "/api/orders?page=0"), 400, "invalid_input", ["page"]);
    assertError(await carol.json("GET", "/api/orders?pageSize=101"), 400, "invalid_input", ["pageSize"]);
    // A member's order detail stays private too.
    assertError(await carol.json("GET", `/api/orders/${bobs.body.order.id}`), 404, "not_found");
  },
);

Deno.test("POST /api/admin/coupons takes claimable and totalLimit, with 400 naming bad fields", opts, async () => {
  const code = `K${uid()}`.toUpperCase();
  const res = await admin.json<{ coupon: { claimable: boolean; totalLimit: number | null } }>(
    "POST",
    "/api/admin/coupons",
    { json: { code, kind: "percent_off", value: "0.10", claimable: true, totalLimit: 3 } },
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.coupon.claimable, true);
  assert.equal(res.body.coupon.totalLimit, 3);
  const plain = { code: `K${uid()}`, kind: "amount_off", value: "5.00" };
  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { ...plain, totalLimit: 5 } }),
    400,
    "invalid_input",
    ["totalLimit"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { ...plain, claimable: true, totalLimit: 0 } }),
    400,
    "invalid_input",
    ["totalLimit"],
  );
  assertError(
    await admin.json("POST", "/api/admin/coupons", { json: { ...plain, claimable: "yes" } }),
    400,
    "invalid_input",
    ["claimable"],
  );
  assertError(
    await alice.json("POST", "/api/admin/coupons", { json: { ...plain, claimable: true } }),
    403,
    "forbidden",
  );
});

Deno.test(
  "GET /api/coupons lists claimable coupons only; POST claim: 201, twice 409, unknown 404, not claimable 409",
  opts,
  async () => {
    const claimable = await coupon({ claimable: true, minSubtotal: "100.00", totalLimit: 100 });
    const publicCode = await coupon({});
    const ended = await coupon({
      claimable: true,
      startsAt: new Date(Date.now() - 2 * 86400_000).toISOString(),
      endsAt: new Date(Date.now() - 86400_000).toISOString(),
    });
    const later = await coupon({ claimable: true, startsAt: new Date(Date.now() + 86400_000).toISOString() });

    const list = await anon.json<{ items: { code: string; remaining: number | null; claimed: boolean }[] }>(
      "GET",
      "/api/coupons?pageSize=100",
    );
    assert.equal(list.status, 200);
    const codes = list.body.items.map((c) => c.code);
    assert.ok(codes.includes(claimable));
    for (const hidden of [publicCode, ended, later]) assert.ok(!codes.includes(hidden), hidden);
    assert.equal(list.body.items.find((c) => c.code === claimable)?.remaining, 100);
    assertError(await anon.json("GET", "/api/coupons?pageSize=500"), 400, "invalid_input", ["pageSize"]);

    assertError(await anon.json("POST", `/api/coupons/${claimable}/claim`), 401, "unauthenticated");
    assertError(await alice.json("POST", "/api/coupons/NO-SUCH-CODE/claim"), 404, "not_found");
    assertError(
      await alice.json("POST", `/api/coupons/${encodeURIComponent("bad code!")}/claim`),
      400,
      "invalid_input",
      [
        "code",
      ],
    );
    assertError(await alice.json("POST", `/api/coupons/${publicCode}/claim`), 409, "conflict");
    assertError(await alice.json("POST", `/api/coupons/${ended}/claim`), 409, "conflict");
    assertError(await alice.json("POST", `/api/coupons/${later}/claim`), 409, "conflict");

    const claimed = await alice.json<{ coupon: MyCoupon }>("POST", `/api/coupons/${claimable.toLowerCase()}/claim`);
    assert.equal(claimed.status, 201, JSON.stringify(claimed.body));
    assert.equal(claimed.body.coupon.code, claimable);
    assert.equal(claimed.body.coupon.value, "20.00");
    assert.equal(claimed.body.coupon.minSubtotal, "100.00");
    assert.equal(claimed.body.coupon.usedAt, null);
    assertError(await alice.json("POST", `/api/coupons/${claimable}/claim`), 409, "conflict");

    const mine = await alice.json<{ items: { code: string; claimed: boolean; remaining: number }[] }>(
      "GET",
      "/api/coupons?pageSize=100",
    );
    const row = mine.body.items.find((c) => c.code === claimable)!;
    assert.equal(row.claimed, true);
    assert.equal(row.remaining, 99);
    const bobs = await bob.json<{ items: { code: string; claimed: boolean }[] }>("GET", "/api/coupons?pageSize=100");
    assert.equal(bobs.body.items.find((c) => c.code === claimable)?.claimed, false);
  },
);

Deno.test("GET /api/me/coupons: the caller's claims only, usable=true filter, 400 and 401", opts, async () => {
  const dave = app.client();
  await dave.register(`dave-${uid()}@example.com`, "Dave");
  const code = await coupon({ claimable: true, kind: "percent_off", value: "0.10" });
  assertError(await anon.json("GET", "/api/me/coupons"), 401, "unauthenticated");
  assert.deepEqual(await myCoupons(dave), []);
  assert.equal((await dave.json("POST", `/api/coupons/${code}/claim`)).status, 201);
  const items = await myCoupons(dave, "?usable=true");
  assert.equal(items.length, 1);
  assert.deepEqual(
    { code: items[0].code, kind: items[0].kind, value: items[0].value, usedAt: items[0].usedAt },
    { code, kind: "percent_off", value: "0.10", usedAt: null },
  );
  assert.ok("minSubtotal" in items[0] && "endsAt" in items[0]);
  assert.ok(!(await myCoupons(bob)).some((c) => c.code === code), "another member's claim is never listed");
  assertError(await dave.json("GET", "/api/me/coupons?usable=yes"), 400, "invalid_input", ["usable"]);
  assertError(await dave.json("GET", "/api/me/coupons?status=lost"), 400, "invalid_input", ["status"]);
  assertError(await dave.json("GET", "/api/me/coupons?page=-1"), 400, "invalid_input", ["page"]);
});

Deno.test(
  "review13: 新人专享 coupons are offered to and claimed by new members only; usable=true lists what pricing takes",
  opts,
  async () => {
    const frank = app.client();
    await frank.register(`frank-${uid()}@example.com`, "Frank");
    const pid = await product("150.00");
    const held = await coupon({ claimable: true, newMembersOnly: true, value: "10.00" });
    const later = await coupon({ claimable: true, newMembersOnly: true, value: "15.00" });
    const offered = async (client: TestClient) =>
      (await client.json<{ items: { code: string }[] }>("GET", "/api/coupons?pageSize=100")).body.items.map((c) =>
        c.code
      );
    // New: offered both, claims one, can use it.
    assert.ok((await offered(frank)).includes(later));
    assert.equal((await frank.json("POST", `/api/coupons/${held}/claim`)).status, 201);
    assert.deepEqual((await myCoupons(frank, "?usable=true")).map((c) => c.code), [held]);

    // After a paid order the member is not new: not offered, the claim refused, the held one not usable.
    await buyAndPay(frank, app.settings.paymentSandboxSecret, pid);
    assert.ok(!(await offered(frank)).includes(later), "not offered to a member who has ordered");
    assert.ok((await offered(anon)).includes(later), "a visitor still sees it (they may be new)");
    assertError(await frank.json("POST", `/api/coupons/${later}/claim`), 409, "conflict", ["code"]);
    assert.deepEqual(await myCoupons(frank, "?usable=true"), [], "pricing would refuse it: not usable");
    const unusable = await myCoupons(frank, "?usable=false");
    assert.equal(unusable.find((c) => c.code === held)?.status, "new_only");
    assertError(await order(frank, pid, held), 400, "invalid_input", ["couponCode"]);
    // It is listed under 已失效 (status=expired: not used, not usable now) with why, not lost between tabs.
    assert.deepEqual((await myCoupons(frank, "?status=expired")).map((c) => c.code), [held]);
    const page = await frank.request("GET", "/account/coupons?tab=expired");
    const html = await page.text();
    assert.match(html, new RegExp(`data-code="${held}"`));
    assert.match(html, /仅限新人，你已下过单，不能再用/);
    assert.match(html, /已失效/);
  },
);

Deno.test("a claimed coupon is used at checkout, given back on cancel and on expiry", opts, async () => {
  const erin = app.client();
  await erin.register(`erin-${uid()}@example.com`, "Erin");
  const pid = await product("150.00");
  const code = await coupon({ claimable: true, minSubtotal: "100.00" });

  const unclaimed = await order(erin, pid, code);
  assertError(unclaimed, 400, "invalid_input", ["couponCode"]);
  assert.equal((await erin.json("POST", `/api/coupons/${code}/claim`)).status, 201);

  const first = await order(erin, pid, code);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.order.discount, "20.00");
  let [mine] = await myCoupons(erin);
  assert.equal(mine.status, "used");
  assert.ok(mine.usedAt);
  assert.deepEqual(await myCoupons(erin, "?usable=true"), []);
  assert.equal((await myCoupons(erin, "?status=used")).length, 1);
  assertError(await order(erin, pid, code), 400, "invalid_input", ["couponCode"]);

  const cancelled = await erin.json("POST", `/api/orders/${first.body.order.id}/cancel`);
  assert.equal(cancelled.status, 200);
  [mine] = await myCoupons(erin, "?usable=true");
  assert.equal(mine?.code, code, "the claim is back after cancelling");
  assert.equal(mine.usedAt, null);

  const second = await order(erin, pid, code);
  assert.equal(second.status, 201);
  assert.equal(second.body.order.discount, "20.00");
  await app.db.query("UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1", [
    second.body.order.id,
  ]);
  assert.ok(await expireDueOrders(app.shop) >= 1);
  [mine] = await myCoupons(erin, "?usable=true");
  assert.equal(mine?.code, code, "the claim is back after the order expired");

  // Paid: it stays used.
  const third = await order(erin, pid, code);
  assert.equal(third.status, 201);
  assert.equal((await myCoupons(erin, "?status=used"))[0]?.code, code);
  // A public (not claimable) coupon still works by its code alone.
  const open = await coupon({ value: "5.00" });
  const plain = await order(erin, pid, open);
  assert.equal(plain.status, 201, JSON.stringify(plain.body));
  assert.equal(plain.body.order.discount, "5.00");
});

Deno.test("20 simultaneous claims of a totalLimit=5 coupon give exactly 5", opts, async () => {
  const code = await coupon({ claimable: true, totalLimit: 5 });
  const members: TestClient[] = [];
  for (let i = 0; i < 20; i++) {
    const m = app.client();
    await m.register(`race-${i}-${uid()}@example.com`, `抢券 ${i}`);
    members.push(m);
  }
  const results = await Promise.all(members.map((m) => m.json("POST", `/api/coupons/${code}/claim`)));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 5, JSON.stringify(statuses));
  assert.equal(statuses.filter((s) => s === 409).length, 15, JSON.stringify(statuses));
  const [row] = await app.db.query<{ claimed_count: number; claims: number }>(
    `SELECT c.claimed_count, (SELECT count(*) FROM coupon_claims k WHERE k.coupon_id = c.id)::int AS claims
       FROM coupons c WHERE c.code = $1`,
    [code],
  );
  assert.deepEqual(row, { claimed_count: 5, claims: 5 });
  const list = await anon.json<{ items: { code: string }[] }>("GET", "/api/coupons?pageSize=100");
  assert.ok(!list.body.items.some((c) => c.code === code), "an exhausted coupon leaves the list");
});

Deno.test(
  "refund kinds: refund_only by default, return_refund and exchange accepted, old names refused",
  opts,
  async () => {
    const pid = await product();
    const orderId = await buyAndPay(alice, app.settings.paymentSandboxSecret, pid, 3);
    const o = await alice.json<{ order: { items: { id: string }[] } }>("GET", `/api/orders/${orderId}`);
    const items = [{ orderItemId: o.body.order.items[0].id, quantity: 1 }];
    const byDefault = await alice.json<{ refund: { kind: string } }>("POST", `/api/orders/${orderId}/refunds`, {
      json: { items, reason: "不想要了" },
    });
    assert.equal(byDefault.status, 201, JSON.stringify(byDefault.body));
    assert.equal(byDefault.body.refund.kind, "refund_only");
    assertError(
      await alice.json("POST", `/api/orders/${orderId}/refunds`, { json: { kind: "return", items, reason: "x" } }),
      400,
      "invalid_input",
      ["kind"],
    );
  },
);

Deno.test("GET /api/openapi.json documents the shopper routes with their error cases", opts, async () => {
  const doc = await anon.json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
    "GET",
    "/api/openapi.json",
  );
  const p = doc.body.paths;
  assert.ok(p["/api/categories"]?.get);
  assert.ok(p["/api/orders"]?.get?.responses["401"]);
  assert.ok(p["/api/orders"]?.get?.responses["400"]);
  assert.ok(p["/api/me/coupons"]?.get?.responses["401"]);
  assert.ok(p["/api/coupons"]?.get);
  const claim = p["/api/coupons/{code}/claim"]?.post;
  assert.ok(claim);
  for (const status of ["201", "400", "401", "404", "409"]) assert.ok(claim.responses[status], status);
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
