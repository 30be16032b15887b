import assert from "node:assert/strict";
import { createTestApp } from "../tests/helpers.ts";
import { linkStats } from "./promote.ts";
import { VisitCounter } from "./visits.ts";
import { shopDay } from "../domain/shop_time.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

const manager = app.client();
assert.equal((await manager.login(app.settings.ADMIN_EMAIL, app.settings.ADMIN_PASSWORD!)).status, 200);
const created = await manager.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "点击面霜", category: "beauty", price: "50.00", costPrice: "10.00", stock: 10, lowStockThreshold: 1 },
});
const productId = created.body.product.id;

async function owner(email: string) {
  const c = app.client();
  const user = await c.register(email, "Link Owner");
  return { client: c, id: String(user.id), code: String(user.referralCode) };
}

async function clickEvents(ownerId: string): Promise<number> {
  const [row] = await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM events WHERE type = 'link_click' AND $1 = ANY(rooms)",
    [`user:${ownerId}`],
  );
  return row.n;
}

/** A client without cookies, as wrk or curl in a loop (same address and browser every time). */
function cookieless(path: string) {
  return app.fetch(new Request(`http://localhost${path}`, { headers: { "user-agent": "loop/1.0" } }));
}

Deno.test(
  "30 clicks of one link by one visitor count once; a second visitor counts; the owner never",
  opts,
  async () => {
    const o = await owner("clicks-once@example.com");
    const visitor = app.client();
    for (let i = 0; i < 30; i++) {
      const res = await visitor.request("GET", `/?ref=${o.code}`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    assert.equal((await linkStats(app.db, o.id)).totals.clicks, 0, "nothing is written on the request path");
    await app.visits.flush();
    assert.equal((await linkStats(app.db, o.id)).totals.clicks, 1);
    assert.equal(await clickEvents(o.id), 1, "one live event per counted click");

    // (In-process every client has one address: the second visitor's browser tells them apart.)
    const second = app.client();
    const headers = { "user-agent": "another browser" };
    await (await second.request("GET", `/?ref=${o.code}`, { headers })).body?.cancel();
    await (await o.client.request("GET", `/?ref=${o.code}`)).body?.cancel();
    await app.visits.flush();
    assert.equal((await linkStats(app.db, o.id)).totals.clicks, 2);
    assert.equal(await clickEvents(o.id), 2);

    // Another link (a product's) is another click; the same visitor tomorrow would be too.
    await (await visitor.request("GET", `/products/${productId}?ref=${o.code}`)).body?.cancel();
    await app.visits.flush();
    const stats = await linkStats(app.db, o.id);
    assert.equal(stats.totals.clicks, 3);
    assert.deepEqual(stats.products.map((p) => [p.productId, p.clicks]), [[productId, 1]]);
  },
);

Deno.test(
  "a cookie-less client repeating a link counts once per link and day, and the database refuses repeats",
  opts,
  async () => {
    const o = await owner("clicks-cookieless@example.com");
    for (let i = 0; i < 30; i++) await (await cookieless(`/?ref=${o.code}`)).body?.cancel();
    await app.visits.flush();
    assert.equal((await linkStats(app.db, o.id)).totals.clicks, 1);
    // The rule holds in the database too (several instances each with their own memory).
    const visitor = String(
      (await app.db.query<{ visitor: string }>(
        "SELECT visitor FROM referral_visits WHERE referrer_id = $1",
        [o.id],
      ))[0].visitor,
    );
    const fresh = new VisitCounter(app.db);
    fresh.click({ code: o.code, productId: null, visitor });
    await fresh.flush();
    assert.equal((await linkStats(app.db, o.id)).totals.clicks, 1);
    assert.equal(await clickEvents(o.id), 1);
  },
);

Deno.test("a visitor counts once a day however many pages they view, in one batched event", opts, async () => {
  const day = shopDay(new Date());
  const count = async () =>
    (await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM daily_visitors WHERE day = $1", [day]))[0].n;
  await app.visits.flush();
  const before = await count();
  const [{ id: lastEvent }] = await app.db.query<{ id: string }>("SELECT coalesce(max(id), 0) AS id FROM events");
  const a = app.client();
  for (let i = 0; i < 5; i++) await (await a.request("GET", "/")).body?.cancel();
  await (await a.request("GET", `/products/${productId}`)).body?.cancel();
  const b = app.client();
  await (await b.request("GET", "/")).body?.cancel();
  assert.equal(await count(), before, "nothing is written on the request path");
  await app.visits.flush();
  assert.equal(await count(), before + 2);
  const events = await app.db.query<{ data: { day: string; count: number } }>(
    "SELECT data FROM events WHERE type = 'visitor' AND id > $1",
    [lastEvent],
  );
  assert.deepEqual(events.map((e) => e.data), [{ day, count: 2 }]);
  // Their later visits that day add nothing.
  await (await a.request("GET", "/")).body?.cancel();
  await app.visits.flush();
  assert.equal(await count(), before + 2);
});

Deno.test("a flood beyond what one flush may write is dropped, not queued without bound", opts, async () => {
  const counter = new VisitCounter(app.db, undefined, { maxPerFlush: 3 });
  for (let i = 0; i < 10; i++) counter.visit(`flood-visitor-${i}`);
  assert.equal(counter.pending, 3);
  await counter.flush();
  assert.equal(counter.pending, 0);
});

Deno.test(
  "a client that never keeps the cookie brings at most 30 new visitors per address and browser in 10 minutes",
  opts,
  async () => {
    const counter = new VisitCounter(app.db);
    const day = shopDay(new Date());
    const count = async () =>
      (await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM daily_visitors WHERE day = $1", [day]))[0].n;
    await app.visits.flush();
    const before = await count();
    const now = new Date();
    for (let i = 0; i < 100; i++) counter.visit(crypto.randomUUID(), now, "10.0.0.9|loop/1.0");
    // Another browser at the same address, and the same browser elsewhere, are other people.
    counter.visit(crypto.randomUUID(), now, "10.0.0.9|Safari");
    counter.visit(crypto.randomUUID(), now, "10.0.0.10|loop/1.0");
    await counter.flush();
    assert.equal(await count(), before + 32);
    // Ten minutes later the same client brings new visitors again.
    counter.visit(crypto.randomUUID(), new Date(now.getTime() + 10 * 60_000 + 1), "10.0.0.9|loop/1.0");
    await counter.flush();
    assert.equal(await count(), before + 33);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
