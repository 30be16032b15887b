/**
 * The shop home's arrangement (首页装修) through the management API and `GET /api/home`: banners and
 * featured blocks added, changed, reordered, switched, scheduled and deleted; bad input refused with
 * `fields` and nothing changed; the support role refused; every change audited; concurrent moves leave
 * one clean order; flash sales running or starting soon; and the kept anonymous home follows a change
 * on the next request.
 */
import assert from "node:assert/strict";
import { Server } from "socket.io";
import { createTestApp, type TestApp, type TestClient } from "./helpers.ts";
import { PageCache, wirePageCache } from "../lib/page_cache.ts";
import { Dispatcher } from "../realtime/dispatcher.ts";
import { createLogger } from "../lib/log.ts";
import { nextCatalogueChange } from "../services/catalogue.ts";
import type { StaffRole } from "../domain/permissions.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const uid = () => crypto.randomUUID().slice(0, 6);

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

async function staff(role: StaffRole): Promise<TestClient> {
  const c = app.client();
  const user = await c.register(`${role}-${uid()}@example.com`, role);
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } })).status,
    200,
  );
  const res = await admin.json("POST", `/api/admin/users/${user.id}/staff-role`, { json: { staffRole: role } });
  assert.equal(res.status, 200);
  return c;
}

async function product(name: string, category = "beauty", price = "100.00"): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name, category, price, costPrice: "10.00", stock: 50, lowStockThreshold: 1 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

type Banner = { id: string; title: string; state: string; href: string; position: number; enabled: boolean };
type Block = { id: string; title: string; productIds: string[]; source: string; state: string };
type Home = {
  banners: { id: string; title: string; link: { href: string } }[];
  blocks: { id: string; title: string; products: { id: string }[]; moreHref: string | null }[];
  flashSales: { productId: string; price: string; phase: string; startsAt: string; endsAt: string }[];
  categories: { slug: string; icon: string; href: string }[];
  serverTime: string;
};

async function banner(fields: Record<string, unknown> = {}): Promise<Banner> {
  const res = await admin.json<{ banner: Banner }>("POST", "/api/admin/home/banners", {
    json: { title: `活动${uid()}`, linkKind: "path", linkTarget: "/?sort=newest", ...fields },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.banner;
}

async function arrangement(c: TestClient = admin) {
  const res = await c.json<{ banners: Banner[]; blocks: Block[] }>("GET", "/api/admin/home");
  assert.equal(res.status, 200);
  return res.body;
}

async function home(c: TestClient = app.client(), lang = "zh-CN"): Promise<Home> {
  const res = await c.json<Home>("GET", "/api/home", { headers: { "accept-language": lang } });
  assert.equal(res.status, 200);
  return res.body;
}

async function audits(action: string): Promise<{ target: string; before: unknown; after: unknown }[]> {
  return await app.db.query("SELECT target, before, after FROM audit_log WHERE action = $1 ORDER BY id", [action]);
}

const cream = await product("首页面霜", "beauty", "120.00");
const tea = await product("首页乌龙茶", "food", "60.00");
const band = await product("首页手环", "digital", "199.00");

Deno.test(
  "a manager adds a banner: listed in order, shown on GET /api/home in both languages, audited",
  opts,
  async () => {
    const a = await banner({
      title: "双十二狂欢",
      titleEn: "Double 12",
      subtitle: "满减",
      linkKind: "product",
      linkTarget: cream,
    });
    assert.equal(a.href, `/products/${cream}`);
    assert.equal(a.state, "live");
    const b = await banner({
      title: "美妆专场",
      linkKind: "category",
      linkTarget: "beauty",
      theme: "rose",
      icon: "sparkles",
    });
    assert.equal(b.href, "/?category=beauty");
    const list = await arrangement();
    const ids = list.banners.map((x) => x.id);
    assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), "a new banner goes last");
    const zh = await home();
    assert.ok(
      zh.banners.some((x) => x.id === a.id && x.title === "双十二狂欢" && x.link.href === `/products/${cream}`),
    );
    const en = await home(app.client(), "en");
    assert.ok(en.banners.some((x) => x.id === a.id && x.title === "Double 12"));
    assert.ok(en.banners.some((x) => x.id === b.id && x.title === "美妆专场"), "no English title: the Chinese one");
    const created = await audits("home.banner.create");
    assert.ok(created.some((e) => e.target === `home_banner:${a.id}`));
    assert.ok(Date.parse(zh.serverTime) > 0);
  },
);

Deno.test("bad banner input is refused with fields and changes nothing", opts, async () => {
  const before = (await arrangement()).banners.length;
  const cases: [Record<string, unknown>, string][] = [
    [{ title: "", linkKind: "path", linkTarget: "/" }, "title"],
    [{ linkKind: "path", linkTarget: "/" }, "title"],
    [{ title: "x".repeat(41), linkKind: "path", linkTarget: "/" }, "title"],
    [{ title: "坏链接", linkKind: "path", linkTarget: "//evil.example/x" }, "linkTarget"],
    [{ title: "坏链接", linkKind: "path", linkTarget: "https://evil.example/" }, "linkTarget"],
    [{ title: "坏链接", linkKind: "path", linkTarget: "/\\evil.example" }, "linkTarget"],
    [{ title: "后台", linkKind: "path", linkTarget: "/admin/staff" }, "linkTarget"],
    [{ title: "接口", linkKind: "path", linkTarget: "/api/me" }, "linkTarget"],
    [{ title: "脚本", linkKind: "path", linkTarget: '/x"><script>' }, "linkTarget"],
    [{ title: "无商品", linkKind: "product", linkTarget: "999999" }, "linkTarget"],
    [{ title: "无商品", linkKind: "product", linkTarget: "abc" }, "linkTarget"],
    [{ title: "无分类", linkKind: "category", linkTarget: "nope" }, "linkTarget"],
    [{ title: "类型", linkKind: "email", linkTarget: "/" }, "linkKind"],
    [{ title: "配色", linkKind: "path", linkTarget: "/", theme: "neon" }, "theme"],
    [{ title: "图标", linkKind: "path", linkTarget: "/", icon: "skull" }, "icon"],
    [{ title: "时间", linkKind: "path", linkTarget: "/", startsAt: "tomorrow" }, "startsAt"],
    [{
      title: "倒序",
      linkKind: "path",
      linkTarget: "/",
      startsAt: "2027-01-02T10:00:00+08:00",
      endsAt: "2027-01-01T10:00:00+08:00",
    }, "endsAt"],
    [{ title: "控制符\u0007", linkKind: "path", linkTarget: "/" }, "title"],
  ];
  for (const [json, field] of cases) {
    const res = await admin.json<{ error: { code: string; fields?: Record<string, string> } }>(
      "POST",
      "/api/admin/home/banners",
      { json },
    );
    assert.equal(res.status, 400, JSON.stringify(json));
    assert.equal(res.body.error.code, "invalid_input");
    assert.ok(res.body.error.fields?.[field], `${JSON.stringify(json)} → ${JSON.stringify(res.body.error.fields)}`);
  }
  const malformed = await admin.request("POST", "/api/admin/home/banners", {
    body: "{nope",
    headers: { "content-type": "application/json" },
  });
  assert.equal(malformed.status, 400);
  await malformed.body?.cancel();
  const zh = await admin.json<{ error: { fields: Record<string, string> } }>("POST", "/api/admin/home/banners", {
    json: { title: "坏链接", linkKind: "path", linkTarget: "//evil" },
    headers: { "accept-language": "zh-CN" },
  });
  assert.match(zh.body.error.fields.linkTarget, /以 \/ 开头/);
  assert.equal((await arrangement()).banners.length, before, "nothing was added");

  const b = await banner();
  const patch = await admin.json("PATCH", `/api/admin/home/banners/${b.id}`, {
    json: { startsAt: "2027-01-02T10:00:00+08:00", endsAt: "2027-01-02T09:00:00+08:00" },
  });
  assert.equal(patch.status, 400);
  const backwards = await admin.json("PATCH", `/api/admin/home/banners/${b.id}`, { json: { linkKind: "product" } });
  assert.equal(backwards.status, 400, "a path is no product id");
  const after = (await arrangement()).banners.find((x) => x.id === b.id)!;
  assert.deepEqual(after, b, "a refused change changes nothing");
  assert.equal((await admin.json("PATCH", "/api/admin/home/banners/999999", { json: { title: "x" } })).status, 404);
  assert.equal((await admin.json("PATCH", "/api/admin/home/banners/abc", { json: { title: "x" } })).status, 404);
  assert.equal(
    (await admin.json("POST", `/api/admin/home/banners/${b.id}/move`, { json: { direction: "left" } })).status,
    400,
  );
  assert.equal(
    (await admin.json("POST", "/api/admin/home/banners/999999/move", { json: { direction: "up" } })).status,
    404,
  );
  assert.equal((await admin.request("DELETE", "/api/admin/home/banners/999999")).status, 404);
});

Deno.test(
  "banners reorder up and down (1…n again), switch off and on, and are deleted; each step audited",
  opts,
  async () => {
    await app.db.query("DELETE FROM home_banners");
    const [a, b, c] = [await banner({ title: "甲" }), await banner({ title: "乙" }), await banner({ title: "丙" })];
    const move = async (id: string, direction: string) => {
      const res = await admin.json<{ order: string[] }>("POST", `/api/admin/home/banners/${id}/move`, {
        json: { direction },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.order;
    };
    assert.deepEqual(await move(c.id, "up"), [a.id, c.id, b.id]);
    assert.deepEqual(await move(c.id, "up"), [c.id, a.id, b.id]);
    const movesBefore = (await audits("home.banner.move")).length;
    assert.deepEqual(await move(c.id, "up"), [c.id, a.id, b.id], "the first stays first");
    assert.equal((await audits("home.banner.move")).length, movesBefore, "a move that changes nothing is not recorded");
    assert.deepEqual(await move(a.id, "down"), [c.id, b.id, a.id]);
    const listed = (await arrangement()).banners;
    assert.deepEqual(listed.map((x) => x.id), [c.id, b.id, a.id]);
    assert.deepEqual(listed.map((x) => x.position), [1, 2, 3]);
    assert.deepEqual((await home()).banners.map((x) => x.id), [c.id, b.id, a.id], "the home follows the order");

    const off = await admin.json<{ banner: Banner }>("PATCH", `/api/admin/home/banners/${b.id}`, {
      json: { enabled: false },
    });
    assert.equal(off.status, 200);
    assert.equal(off.body.banner.state, "disabled");
    assert.deepEqual((await home()).banners.map((x) => x.id), [c.id, a.id]);
    assert.ok((await audits("home.banner.disable")).some((e) => e.target === `home_banner:${b.id}`));
    await admin.json("PATCH", `/api/admin/home/banners/${b.id}`, { json: { enabled: true } });
    assert.ok((await audits("home.banner.enable")).some((e) => e.target === `home_banner:${b.id}`));

    const edited = await admin.json<{ banner: Banner }>("PATCH", `/api/admin/home/banners/${b.id}`, {
      json: { title: "乙（新）", linkKind: "category", linkTarget: "food" },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.banner.href, "/?category=food");
    const update = (await audits("home.banner.update")).at(-1)!;
    assert.deepEqual(update.before, { title: "乙", linkKind: "path", linkTarget: "/?sort=newest" });
    assert.deepEqual(update.after, { title: "乙（新）", linkKind: "category", linkTarget: "food" });

    const del = await admin.request("DELETE", `/api/admin/home/banners/${c.id}`);
    assert.equal(del.status, 204);
    assert.deepEqual((await arrangement()).banners.map((x) => x.id), [b.id, a.id]);
    assert.equal((await admin.request("DELETE", `/api/admin/home/banners/${c.id}`)).status, 404);
    const deleted = (await audits("home.banner.delete")).at(-1)!;
    assert.equal((deleted.before as { title: string }).title, "丙");
  },
);

Deno.test("scheduled banners show only inside their time, and the kept page never outlives a start", opts, async () => {
  await app.db.query("DELETE FROM home_banners");
  const soon = new Date(Date.now() + 3_600_000).toISOString();
  const past = new Date(Date.now() - 3_600_000).toISOString();
  const later = await banner({ title: "稍后", startsAt: soon });
  const over = await banner({ title: "已过", startsAt: new Date(Date.now() - 7_200_000).toISOString(), endsAt: past });
  const now = await banner({ title: "正当时", endsAt: soon });
  assert.equal(later.state, "scheduled");
  assert.equal(over.state, "ended");
  assert.equal(now.state, "live");
  assert.deepEqual((await home()).banners.map((b) => b.title), ["正当时"]);
  const next = await nextCatalogueChange(app.db);
  assert.ok(next && Math.abs(next.getTime() - Date.parse(soon)) < 1000, `next change ${next?.toISOString()}`);
});

Deno.test("a banner whose product leaves the shelf is not shown", opts, async () => {
  await app.db.query("DELETE FROM home_banners");
  const gone = await product("将下架的商品");
  const b = await banner({ title: "下架商品", linkKind: "product", linkTarget: gone });
  assert.deepEqual((await home()).banners.map((x) => x.id), [b.id]);
  assert.equal((await admin.json("PATCH", `/api/admin/products/${gone}`, { json: { onSale: false } })).status, 200);
  assert.deepEqual((await home()).banners, []);
  assert.equal((await arrangement()).banners.length, 1, "the console still lists it");
});

Deno.test(
  "featured blocks: chosen products in their order, newest, best sellers, a category; bad input refused",
  opts,
  async () => {
    await app.db.query("DELETE FROM home_blocks");
    const create = async (json: Record<string, unknown>) => {
      const res = await admin.json<{ block: Block; error?: { fields: Record<string, string> } }>(
        "POST",
        "/api/admin/home/blocks",
        { json },
      );
      return res;
    };
    const chosen = await create({ title: "店长推荐", source: "chosen", productIds: [band, cream, tea] });
    assert.equal(chosen.status, 201, JSON.stringify(chosen.body));
    const newest = await create({ title: "新品", source: "newest", limit: 2, icon: "sparkles" });
    const food = await create({ title: "食品", source: "category", category: "food" });
    assert.equal(newest.status, 201);
    assert.equal(food.status, 201);
    const h = await home();
    const block = (id: string) => h.blocks.find((b) => b.id === id)!;
    assert.deepEqual(block(chosen.body.block.id).products.map((p) => p.id), [band, cream, tea]);
    assert.equal(block(chosen.body.block.id).moreHref, null);
    assert.equal(block(newest.body.block.id).products.length, 2);
    assert.equal(block(newest.body.block.id).moreHref, "/?sort=newest");
    assert.ok(block(food.body.block.id).products.every((p) => p.id !== cream));
    assert.ok(block(food.body.block.id).products.some((p) => p.id === tea));
    assert.deepEqual(h.blocks.map((b) => b.id), [chosen.body.block.id, newest.body.block.id, food.body.block.id]);

    const bad: [Record<string, unknown>, string][] = [
      [{ title: "空", source: "chosen", productIds: [] }, "productIds"],
      [{ title: "重复", source: "chosen", productIds: [cream, cream] }, "productIds"],
      [{ title: "不存在", source: "chosen", productIds: ["999999"] }, "productIds"],
      [{ title: "非编号", source: "chosen", productIds: ["x1"] }, "productIds.0"],
      [
        { title: "太多", source: "chosen", productIds: Array.from({ length: 21 }, (_, i) => String(i + 1)) },
        "productIds",
      ],
      [{ title: "无分类", source: "category" }, "category"],
      [{ title: "错分类", source: "category", category: "nope" }, "category"],
      [{ title: "数量", source: "newest", limit: 0 }, "limit"],
      [{ title: "数量", source: "newest", limit: 21 }, "limit"],
      [{ title: "来源", source: "random" }, "source"],
      [{ title: "这个标题实在是太长了超过了二十个字的限制呀呀呀", source: "newest" }, "title"],
    ];
    const count = (await arrangement()).blocks.length;
    for (const [json, field] of bad) {
      const res = await create(json);
      assert.equal(res.status, 400, JSON.stringify(json));
      assert.ok(res.body.error?.fields[field], `${JSON.stringify(json)} → ${JSON.stringify(res.body.error)}`);
    }
    assert.equal((await arrangement()).blocks.length, count);

    // A chosen product that leaves the shelf drops out; a block left empty is not shown.
    const only = await create({ title: "单品", source: "chosen", productIds: [band] });
    await admin.json("PATCH", `/api/admin/products/${band}`, { json: { onSale: false } });
    const after = await home();
    assert.deepEqual(after.blocks.find((b) => b.id === chosen.body.block.id)!.products.map((p) => p.id), [cream, tea]);
    assert.ok(!after.blocks.some((b) => b.id === only.body.block.id));
    await admin.json("PATCH", `/api/admin/products/${band}`, { json: { onSale: true } });

    const moved = await admin.json<{ order: string[] }>("POST", `/api/admin/home/blocks/${food.body.block.id}/move`, {
      json: { direction: "up" },
    });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.order.indexOf(food.body.block.id), 1);
    const switched = await admin.json<{ block: Block }>("PATCH", `/api/admin/home/blocks/${newest.body.block.id}`, {
      json: { source: "category", category: "digital", title: "数码" },
    });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.equal(switched.body.block.source, "category");
    assert.equal((await admin.request("DELETE", `/api/admin/home/blocks/${only.body.block.id}`)).status, 204);
    assert.ok((await audits("home.block.create")).length >= 4);
    assert.ok((await audits("home.block.move")).length >= 1);
    assert.ok((await audits("home.block.delete")).length >= 1);
  },
);

Deno.test("flash sales on the home: running and starting within a day, with absolute times", opts, async () => {
  const hour = 3_600_000;
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  const insert = (id: string, price: string, from: string, to: string) =>
    app.db.query("INSERT INTO promotions (product_id, price, starts_at, ends_at) VALUES ($1, $2, $3, $4)", [
      id,
      price,
      from,
      to,
    ]);
  await app.db.query("DELETE FROM promotions");
  const later = await product("明天秒杀", "food", "80.00");
  const over = await product("昨天秒杀", "food", "80.00");
  await insert(cream, "88.00", at(-hour), at(2 * hour));
  await insert(tea, "39.90", at(3 * hour), at(5 * hour));
  await insert(later, "50.00", at(30 * hour), at(32 * hour));
  await insert(over, "50.00", at(-3 * hour), at(-hour));
  const h = await home();
  assert.deepEqual(h.flashSales.map((f) => [f.productId, f.phase, f.price]), [
    [cream, "running", "88.00"],
    [tea, "upcoming", "39.90"],
  ]);
  const running = h.flashSales[0];
  assert.ok(Date.parse(running.endsAt) > Date.now() && Date.parse(running.startsAt) < Date.now());
  assert.ok(h.categories.some((c) => c.slug === "beauty" && c.icon === "sparkles" && c.href === "/?category=beauty"));
  await app.db.query("DELETE FROM promotions");
});

Deno.test("support may not arrange the home (403); operations may; shoppers 403, visitors 401", opts, async () => {
  const support = await staff("support");
  const ops = await staff("operations");
  const b = await banner();
  const calls: [string, string, unknown?][] = [
    ["GET", "/api/admin/home"],
    ["POST", "/api/admin/home/banners", { title: "客服", linkKind: "path", linkTarget: "/" }],
    ["PATCH", `/api/admin/home/banners/${b.id}`, { title: "客服改" }],
    ["POST", `/api/admin/home/banners/${b.id}/move`, { direction: "up" }],
    ["DELETE", `/api/admin/home/banners/${b.id}`],
    ["POST", "/api/admin/home/blocks", { title: "客服", source: "newest" }],
  ];
  for (const [method, path, json] of calls) {
    const res = await support.json<{ error: { code: string } }>(method, path, json === undefined ? {} : { json });
    assert.equal(res.status, 403, `support ${method} ${path}`);
    assert.equal(res.body.error.code, "forbidden");
  }
  assert.equal((await arrangement()).banners.find((x) => x.id === b.id)?.title, b.title, "nothing changed");
  const shopper = app.client();
  await shopper.register(`shop-${uid()}@example.com`, "Shopper");
  assert.equal((await shopper.json("GET", "/api/admin/home")).status, 403);
  assert.equal((await app.client().json("GET", "/api/admin/home")).status, 401);
  assert.equal((await app.client().json("GET", "/api/home")).status, 200, "the home itself is public");

  const made = await ops.json<{ banner: Banner }>("POST", "/api/admin/home/banners", {
    json: { title: "运营", linkKind: "path", linkTarget: "/" },
  });
  assert.equal(made.status, 201);
  assert.equal(
    (await ops.json("POST", `/api/admin/home/banners/${made.body.banner.id}/move`, { json: { direction: "up" } }))
      .status,
    200,
  );
  assert.equal((await ops.request("DELETE", `/api/admin/home/banners/${made.body.banner.id}`)).status, 204);
});

Deno.test("concurrent moves and adds leave one clean order (positions 1…n, nothing lost)", opts, async () => {
  await app.db.query("DELETE FROM home_banners");
  const made: Banner[] = [];
  for (let i = 0; i < 5; i++) made.push(await banner({ title: `并发${i}` }));
  const results = await Promise.all([
    ...made.flatMap((b, i) => [
      admin.json("POST", `/api/admin/home/banners/${b.id}/move`, { json: { direction: i % 2 ? "up" : "down" } }),
      admin.json("POST", `/api/admin/home/banners/${b.id}/move`, { json: { direction: "up" } }),
    ]),
    admin.json("POST", "/api/admin/home/banners", { json: { title: "并发新增1", linkKind: "path", linkTarget: "/" } }),
    admin.json("POST", "/api/admin/home/banners", { json: { title: "并发新增2", linkKind: "path", linkTarget: "/" } }),
  ]);
  for (const r of results) assert.ok(r.status === 200 || r.status === 201, `${r.status} ${JSON.stringify(r.body)}`);
  const listed = (await arrangement()).banners;
  assert.equal(listed.length, 7);
  assert.equal(new Set(listed.map((b) => b.id)).size, 7);
  const positions = listed.map((b) => b.position);
  assert.equal(new Set(positions).size, 7, `distinct positions ${positions}`);
  // Every move renumbered 1…n under the table lock; the two adds went after whatever was last.
  const moved = await admin.json<{ order: string[] }>("POST", `/api/admin/home/banners/${listed[1].id}/move`, {
    json: { direction: "up" },
  });
  assert.equal(moved.body.order.length, 7);
  assert.deepEqual((await arrangement()).banners.map((b) => b.position), [1, 2, 3, 4, 5, 6, 7]);
});

Deno.test("the kept anonymous home shows a manager's change on the next request", opts, async () => {
  await app.db.query("DELETE FROM home_banners");
  await app.db.query("DELETE FROM home_blocks");
  const visit = async () => {
    const res = await app.client().request("GET", "/");
    assert.equal(res.status, 200);
    return await res.text();
  };
  const first = await visit();
  assert.doesNotMatch(first, /缓存之后的新活动/);
  const hits = cache.stats.hits;
  await visit();
  assert.equal(cache.stats.hits, hits + 1, "the home is kept");

  const made = await banner({ title: "缓存之后的新活动", subtitle: "立刻可见" });
  const shown = await visit();
  assert.match(shown, /缓存之后的新活动/, "arrange → the next anonymous request shows it");
  assert.match(shown, /立刻可见/);

  const block = await admin.json<{ block: Block }>("POST", "/api/admin/home/blocks", {
    json: { title: "缓存后的模块", source: "chosen", productIds: [tea] },
  });
  assert.equal(block.status, 201);
  assert.match(await visit(), /缓存后的模块/);

  await admin.json("PATCH", `/api/admin/home/banners/${made.id}`, { json: { enabled: false } });
  assert.doesNotMatch(await visit(), /缓存之后的新活动/, "switched off → gone on the next request");
  const filtered = await app.client().request("GET", "/?category=food");
  assert.doesNotMatch(await filtered.text(), /缓存后的模块/, "only the unfiltered home shows the arrangement");
});
