/**
 * The console's 首页装修 pages without a browser: the list with its empty states, the banner form
 * (multipart, with a picture made into 3:1 WebP variants, or refused beside its field), the block form
 * (ticked products in posted order), the row actions (up, down, switch, delete) with their audit
 * entries, the menu entry under 经营, and the support role refused on every page and form.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { createTestApp, type TestClient } from "./helpers.ts";
import type { StaffRole } from "../domain/permissions.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const app = await createTestApp();
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const uid = () => crypto.randomUUID().slice(0, 6);

async function staff(role: StaffRole): Promise<TestClient> {
  const c = app.client();
  const user = await c.register(`${role}-${uid()}@example.com`, role);
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } });
  await admin.json("POST", `/api/admin/users/${user.id}/staff-role`, { json: { staffRole: role } });
  return c;
}

async function page(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await c.request("GET", path, { headers });
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

/** Posts a multipart form (as the banner form does) with this client's CSRF token. */
async function multipart(c: TestClient, path: string, fields: Record<string, string>, file?: Uint8Array) {
  if (!c.cookies.has("csrf")) await page(c, "/admin/home");
  const body = new FormData();
  body.set("_csrf", c.cookies.get("csrf") ?? "");
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set("image", new File([file as BlobPart], "banner.png", { type: "image/png" }));
  const res = await c.request("POST", path, { body });
  return { status: res.status, html: await res.text(), location: res.headers.get("location") };
}

const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "控制台面霜", category: "beauty", price: "99.00", costPrice: "10.00", stock: 20, lowStockThreshold: 1 },
});
const productId = product.body.product.id;
const other = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "控制台茶叶", category: "food", price: "59.00", costPrice: "10.00", stock: 20, lowStockThreshold: 1 },
});
const otherId = other.body.product.id;

Deno.test("the 首页装修 page sits under 经营 with breadcrumbs and helpful empty states", opts, async () => {
  const list = await page(admin, "/admin/home");
  assert.equal(list.status, 200);
  assert.match(list.html, /<h1>首页装修<\/h1>/);
  assert.match(list.html, /还没有轮播图/);
  assert.match(list.html, /还没有推荐模块/);
  assert.match(list.html, /href="\/admin\/home\/banners\/new"/);
  const nav = list.html.match(/<nav id="console-nav"[^>]*>[\s\S]*?<\/nav>/)![0];
  assert.match(nav, /经营[\s\S]*href="\/admin\/home"[^>]*aria-current="page"[\s\S]*首页装修[\s\S]*商品/);
  const crumbs = list.html.match(/<nav class="breadcrumbs"[\s\S]*?<\/nav>/)![0];
  assert.match(crumbs, /管理后台[\s\S]*经营[\s\S]*首页装修/);
  const form = await page(admin, "/admin/home/banners/new");
  assert.match(
    form.html.match(/<nav class="breadcrumbs"[\s\S]*?<\/nav>/)![0],
    /href="\/admin\/home"[^>]*>首页装修[\s\S]*新增轮播图/,
  );
  const en = await page(admin, "/admin/home", { "accept-language": "en" });
  assert.match(en.html, /Home page/);
  assert.match(en.html, /No banners yet/);
});

Deno.test(
  "the banner form creates a banner with a picture (3:1 WebP variants) and refuses bad input beside its field",
  opts,
  async () => {
    const png = new Uint8Array(
      await sharp({ create: { width: 900, height: 900, channels: 3, background: "#d63133" } }).png().toBuffer(),
    );
    const made = await multipart(admin, "/admin/home/banners/new", {
      title: "控制台横幅",
      subtitle: "图片版",
      linkKind: "product",
      linkProduct: productId,
      theme: "indigo",
      icon: "gift",
      picture: "upload",
      startsAt: "2026-01-01T09:00",
      enabled: "on",
    }, png);
    assert.equal(made.status, 303, made.html.slice(0, 300));
    assert.equal(made.location, "/admin/home?done=created");
    const [row] = await app.db.query<{ id: string; starts_at: Date; image_at: Date | null }>(
      "SELECT id::text AS id, starts_at, image_at FROM home_banners WHERE title = '控制台横幅'",
    );
    assert.ok(row.image_at, "the picture is stored");
    assert.equal(new Date(row.starts_at).toISOString(), "2026-01-01T01:00:00.000Z", "typed in shop time");
    const variants = await app.db.query<{ width: number; height: number }>(
      "SELECT width, height FROM home_banner_images WHERE banner_id = $1 ORDER BY width",
      [row.id],
    );
    assert.deepEqual(variants.map((v) => [v.width, v.height]), [[640, 213], [960, 320], [1440, 480]]);
    const listed = await page(admin, "/admin/home?done=created");
    assert.match(listed.html, /已创建，首页已更新/);
    assert.match(listed.html, /控制台横幅/);
    assert.match(listed.html, /商品：控制台面霜/);
    const src = listed.html.match(/\/images\/banners\/\d+\.webp\?w=960&amp;v=([\w]+)/);
    assert.ok(src, "the list previews the picture");
    const image = await app.client().request("GET", `/images/banners/${row.id}.webp?w=640&v=${src[1]}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/webp");
    assert.match(image.headers.get("cache-control") ?? "", /immutable/);
    const meta = await sharp(new Uint8Array(await image.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [640, 213, "webp"]);
    assert.equal((await app.client().request("GET", "/images/banners/999999.webp")).status, 404);

    const count = async () => (await app.db.query("SELECT 1 FROM home_banners")).length;
    const before = await count();
    const refusals: [Record<string, string>, Uint8Array | undefined, RegExp, RegExp][] = [
      [{ title: "", linkKind: "path", linkPath: "/", picture: "art" }, undefined, /id="f-title-error"/, /请填写标题/],
      [
        { title: "坏", linkKind: "path", linkPath: "//evil.example", picture: "art" },
        undefined,
        /id="f-linkPath-error"/,
        /以 \/ 开头/,
      ],
      [
        { title: "坏", linkKind: "category", linkCategory: "", picture: "art" },
        undefined,
        /id="f-linkCategory-error"/,
        /请选择或填写/,
      ],
      [{ title: "坏", linkKind: "path", linkPath: "/", picture: "upload" }, undefined, /id="f-image-error"/, /选择/],
      [
        { title: "坏", linkKind: "path", linkPath: "/", picture: "upload" },
        new TextEncoder().encode("not a picture"),
        /id="f-image-error"/,
        /PNG|JPEG|WebP|格式/,
      ],
      [
        {
          title: "坏",
          linkKind: "path",
          linkPath: "/",
          picture: "art",
          startsAt: "2026-05-02T10:00",
          endsAt: "2026-05-01T10:00",
        },
        undefined,
        /id="f-endsAt-error"/,
        /结束时间必须晚于开始时间/,
      ],
    ];
    for (const [fields, file, where, what] of refusals) {
      const res = await multipart(admin, "/admin/home/banners/new", fields, file);
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.match(res.html, where, JSON.stringify(fields));
      assert.match(res.html, what, JSON.stringify(fields));
      if (fields.title) assert.match(res.html, new RegExp(`value="${fields.title}"`), "what was typed stays");
    }
    assert.equal(await count(), before, "nothing was created");
    const forged = await admin.request("POST", "/admin/home/banners/new", {
      body: (() => {
        const f = new FormData();
        f.set("_csrf", "wrong");
        f.set("title", "伪造");
        return f;
      })(),
    });
    assert.equal(forged.status, 403);

    // Editing: back to the generated art removes the picture.
    const edited = await multipart(admin, `/admin/home/banners/${row.id}`, {
      title: "控制台横幅（改）",
      linkKind: "category",
      linkCategory: "food",
      theme: "green",
      icon: "apple",
      picture: "art",
    });
    assert.equal(edited.location, "/admin/home?done=saved");
    const [after] = await app.db.query<{ image_at: Date | null; enabled: boolean; link_target: string }>(
      "SELECT image_at, enabled, link_target FROM home_banners WHERE id = $1",
      [row.id],
    );
    assert.equal(after.image_at, null);
    assert.equal(after.enabled, false, "the unticked switch saves it switched off");
    assert.equal(after.link_target, "food");
    assert.equal((await app.db.query("SELECT 1 FROM home_banner_images WHERE banner_id = $1", [row.id])).length, 0);
    const [audit] = await app.db.query<{ after: { picture: string } }>(
      "SELECT after FROM audit_log WHERE action = 'home.banner.update' AND target = $1 ORDER BY id DESC LIMIT 1",
      [`home_banner:${row.id}`],
    );
    assert.equal(audit.after.picture, "removed");
    assert.equal((await page(admin, "/admin/home/banners/999999")).status, 404);
  },
);

Deno.test(
  "the block form keeps the ticked products in posted order; row actions move, switch and delete",
  opts,
  async () => {
    await admin.request("GET", "/admin/home");
    const token = admin.cookies.get("csrf")!;
    const post = (path: string, fields: [string, string][]) =>
      admin.request("POST", path, {
        body: new URLSearchParams([["_csrf", token], ...fields]).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const made = await post("/admin/home/blocks/new", [
      ["title", "控制台模块"],
      ["icon", "crown"],
      ["source", "chosen"],
      ["limit", "6"],
      ["productIds", otherId],
      ["productIds", productId],
      ["enabled", "on"],
    ]);
    assert.equal(made.status, 303);
    const [block] = await app.db.query<{ id: string; product_ids: string[] }>(
      "SELECT id::text AS id, product_ids::text[] AS product_ids FROM home_blocks WHERE title = '控制台模块'",
    );
    assert.deepEqual(block.product_ids, [otherId, productId]);
    const refused = await post("/admin/home/blocks/new", [["title", "空模块"], ["source", "chosen"], ["limit", "6"]]);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /id="f-productIds-error"[^>]*>请至少选择一件商品/);
    const badLimit = await post("/admin/home/blocks/new", [["title", "数量"], ["source", "newest"], ["limit", "abc"]]);
    assert.equal(badLimit.status, 400);
    const second = await post("/admin/home/blocks/new", [["title", "第二个"], ["source", "newest"], ["limit", "4"]]);
    assert.equal(second.status, 303);
    const form = await page(admin, `/admin/home/blocks/${block.id}`);
    assert.match(form.html, /data-island/, "the product chooser is an island");
    assert.match(form.html, new RegExp(`value="${otherId}" checked`));

    const ids = async () =>
      (await app.db.query<{ id: string }>("SELECT id::text AS id FROM home_blocks ORDER BY position, id")).map((r) =>
        r.id
      );
    const [first, last] = await ids();
    const down = await post(`/admin/home/blocks/${first}/down`, []);
    assert.equal(down.headers.get("location"), "/admin/home?done=moved");
    assert.deepEqual(await ids(), [last, first]);
    const off = await post(`/admin/home/blocks/${first}/disable`, []);
    assert.equal(off.headers.get("location"), "/admin/home?done=saved");
    const list = await page(admin, "/admin/home?done=saved");
    assert.match(list.html, /已停用/);
    assert.match(list.html, new RegExp(`action="/admin/home/blocks/${first}/enable"`));
    assert.equal((await post(`/admin/home/blocks/${first}/enable`, [])).status, 303);
    assert.equal(
      (await post(`/admin/home/blocks/${first}/delete`, [])).headers.get("location"),
      "/admin/home?done=deleted",
    );
    assert.deepEqual(await ids(), [last]);
    const gone = await post(`/admin/home/blocks/${first}/delete`, []);
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
    const unknown = await post(`/admin/home/blocks/${last}/sideways`, []);
    assert.equal(unknown.status, 404, "only the five actions are routes");
    await unknown.body?.cancel();
    const actions = await app.db.query<{ action: string }>(
      "SELECT DISTINCT action FROM audit_log WHERE action LIKE 'home.block.%' ORDER BY action",
    );
    assert.deepEqual(actions.map((a) => a.action), [
      "home.block.create",
      "home.block.delete",
      "home.block.disable",
      "home.block.enable",
      "home.block.move",
    ]);
  },
);

Deno.test("support is refused on every 首页装修 page and form; operations may arrange", opts, async () => {
  const support = await staff("support");
  for (const path of ["/admin/home", "/admin/home/banners/new", "/admin/home/blocks/new"]) {
    assert.equal((await page(support, path)).status, 403, path);
  }
  await page(support, "/");
  const token = support.cookies.get("csrf") ?? "";
  for (const path of ["/admin/home/blocks/new", "/admin/home/banners/1/up", "/admin/home/blocks/1/delete"]) {
    const res = await support.request("POST", path, {
      body: new URLSearchParams({ _csrf: token, title: "客服", source: "newest" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(res.status, 403, path);
    await res.body?.cancel();
  }
  const menu = (await page(support, "/admin")).html.match(/<nav id="console-nav"[^>]*>[\s\S]*?<\/nav>/)![0];
  assert.doesNotMatch(menu, /href="\/admin\/home"/);
  const ops = await staff("operations");
  assert.equal((await page(ops, "/admin/home")).status, 200);
  const shopper = app.client();
  await shopper.register(`shopper-${uid()}@example.com`, "Shopper");
  assert.equal((await page(shopper, "/admin/home")).status, 403);
  assert.match((await page(app.client(), "/admin/home")).location ?? "", /^\/login\?next=\/admin\/home/);
});
