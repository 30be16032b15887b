import assert from "node:assert/strict";
import sharp from "sharp";
import { Hono } from "hono";
import { renderToString } from "preact-render-to-string";
import { createTestApp, type TestClient } from "./helpers.ts";
import { Icon } from "../components/Icon.tsx";
import { ICON_NAMES, iconBody } from "../components/icons.ts";
import { artVersion, productSvg } from "../components/product_image.ts";
import { ADMIN_GROUPS, visibleGroups } from "../components/AdminShell.tsx";
import { can, STAFF_ROLES } from "../domain/permissions.ts";
import { loadRoutes, mountRoutes } from "../lib/fs_router.ts";
import type { AppDeps, AppEnv } from "../lib/app_env.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

async function newProduct(name: string, category: string): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name, category, price: "10.00", costPrice: "5.00", stock: 30, lowStockThreshold: 5 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function upload(client: TestClient, id: string, bytes: Uint8Array): Promise<Response> {
  await client.request("GET", "/admin/products").then((r) => r.body?.cancel());
  const form = new FormData();
  form.set("_csrf", client.cookies.get("csrf")!);
  form.set("image", new File([bytes as Uint8Array<ArrayBuffer>], "photo.png", { type: "image/png" }));
  return await client.request("POST", `/admin/products/${id}/image`, { body: form });
}

Deno.test("icons render as inline SVG from the registry; the tab bar uses them, not Unicode symbols", async () => {
  for (const name of ICON_NAMES) assert.match(iconBody(name), /^<(path|circle|rect|line|polyline|ellipse)\b/, name);
  const html = renderToString(Icon({ name: "cart" }));
  assert.match(html, /^<svg class="icon"[^>]*viewBox="0 0 24 24"[^>]*aria-hidden="true"/);
  assert.match(html, /<path d="/);
  const labelled = renderToString(Icon({ name: "menu", label: "菜单" }));
  assert.match(labelled, /role="img"/);
  assert.match(labelled, /aria-label="菜单"/);
  const home = await (await app.client().request("GET", "/")).text();
  const tabbar = home.match(/<nav class="tabbar"[\s\S]*?<\/nav>/)![0];
  assert.equal((tabbar.match(/<svg class="icon"/g) ?? []).length, 3, "shop, cart, login");
  assert.doesNotMatch(tabbar, /[⌂🛒☰▦☺]/u);
});

Deno.test("product art: each category its own icon and colours, the Chinese name in CJK-capable text", () => {
  const bodies = new Set<string>();
  for (const slug of ["beauty", "food", "baby", "home", "digital", "apparel", "sports", "health", "care"]) {
    const svg = productSvg({ id: "1", name: "臻选保湿面霜", name_en: "Cream", category_slug: slug });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, />臻选保湿面霜<\/text>/, slug);
    assert.match(svg, /font-family="'Noto Sans CJK SC'/);
    const icon = svg.match(/<g transform="[^"]*"[^>]*>([\s\S]*?)<\/g>/)![1];
    bodies.add(icon);
  }
  assert.equal(bodies.size, 9, "nine categories, nine icons");
  const long = productSvg({
    id: "2",
    name: "特别特别长的商品名称一二三四五六七八九十甲乙丙丁",
    name_en: "",
    category_slug: "x",
  });
  assert.equal((long.match(/<\/text>/g) ?? []).length, 2, "wrapped on two lines");
  assert.match(long, /…<\/text>/);
  assert.doesNotMatch(productSvg({ id: "3", name: "<b>&", name_en: "", category_slug: "food" }), /<b>/);
  assert.doesNotMatch(
    productSvg({ id: "4", name: "面霜", name_en: "", category_slug: "food" }, { name: false }),
    /<text/,
  );
});

Deno.test("product pictures are versioned (?v=): a matching version is cached for a year", opts, async () => {
  const id = await newProduct("晨露洗发水", "care");
  const view = await app.client().json<{ product: { imageUrl: string } }>("GET", `/api/products/${id}`);
  const url = view.body.product.imageUrl;
  assert.equal(url, `/images/products/${id}.svg?v=${artVersion({ name: "晨露洗发水", category_slug: "care" })}`);
  const res = await app.client().request("GET", url);
  assert.equal(res.headers.get("content-type"), "image/svg+xml");
  assert.match(res.headers.get("cache-control")!, /max-age=31536000, immutable/);
  assert.match(await res.text(), /晨露洗发水/);
  const stale = await app.client().request("GET", `/images/products/${id}.svg?v=old`);
  assert.doesNotMatch(stale.headers.get("cache-control")!, /immutable/);
  await stale.body?.cancel();
});

Deno.test(
  "an upload gets WebP thumbnails of 160, 320 and 640 px; lists and pages offer them in srcset",
  opts,
  async () => {
    const id = await newProduct("上传图片商品", "beauty");
    const photo = new Uint8Array(
      await sharp({ create: { width: 1000, height: 800, channels: 3, background: "#3366cc" } }).png().toBuffer(),
    );
    const res = await upload(admin, id, photo);
    assert.equal(res.status, 303);
    const rows = await app.db.query<{ width: number; height: number; content_type: string }>(
      "SELECT width, height, content_type FROM product_image_variants WHERE product_id = $1 ORDER BY width",
      [id],
    );
    assert.deepEqual(rows.map((r) => [r.width, r.height, r.content_type]), [
      [160, 160, "image/webp"],
      [320, 320, "image/webp"],
      [640, 640, "image/webp"],
    ]);
    const view = await app.client().json<{ product: { imageUrl: string } }>("GET", `/api/products/${id}`);
    const version = view.body.product.imageUrl.match(/v=(u\w+)/)![1];
    for (const w of [160, 320, 640]) {
      const thumb = await app.client().request("GET", `/images/products/${id}.svg?w=${w}&v=${version}`);
      assert.equal(thumb.headers.get("content-type"), "image/webp");
      assert.match(thumb.headers.get("cache-control")!, /immutable/);
      const meta = await sharp(new Uint8Array(await thumb.arrayBuffer())).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ["webp", w, w]);
    }
    const original = await app.client().request("GET", `/images/products/${id}.svg`);
    assert.equal(original.headers.get("content-type"), "image/png");
    await original.body?.cancel();

    const home = await (await app.client().request("GET", "/?q=上传图片商品")).text();
    const img = home.match(/<img [^>]*class="product-img"[^>]*>/)![0];
    assert.match(img, new RegExp(`srcset="/images/products/${id}\\.svg\\?w=160&amp;v=${version} 160w, `));
    assert.match(img, /640w"/);
    assert.match(img, /sizes="[^"]+"/);
    assert.match(img, /width="320" height="320"/);
    assert.match(img, /loading="lazy"/);
    const page = await (await app.client().request("GET", `/products/${id}`)).text();
    const hero = page.match(/<img [^>]*class="product-hero"[^>]*>/)![0];
    assert.match(hero, /srcset="[^"]*320w/);
    assert.doesNotMatch(hero, /loading="lazy"/, "the picture at the top loads at once");

    const broken = await upload(admin, id, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    assert.equal(broken.status, 400, "a picture that cannot be decoded is refused");
    assert.match(await broken.text(), /无法读取这张图片/);
  },
);

Deno.test("routes/: a folder's _layout.tsx wraps the pages in it and below, outer layouts outside", async () => {
  const dir = await Deno.makeTempDir({ prefix: "layout_routes_" });
  try {
    const render = new URL("../lib/render.tsx", import.meta.url).href;
    const page = (text: string) =>
      `import { renderPage } from "${render}";\n` +
      `export const handler = { GET: (c) => renderPage(c, <p>${text}</p>, { title: "${text}" }) };\n`;
    const layout = (name: string) =>
      `export default function L({ children, title }) { return <div class="${name}" data-title={title}>{children}</div>; }\n`;
    await Deno.mkdir(`${dir}/shop/deep`, { recursive: true });
    await Deno.writeTextFile(`${dir}/_layout.tsx`, layout("outer"));
    await Deno.writeTextFile(
      `${dir}/shop/_layout.tsx`,
      layout("inner") + `export const config = { frame: "console" };\n`,
    );
    await Deno.writeTextFile(`${dir}/index.tsx`, page("home"));
    await Deno.writeTextFile(`${dir}/shop/index.tsx`, page("shop"));
    await Deno.writeTextFile(`${dir}/shop/deep/page.tsx`, page("deep"));
    const tree = await loadRoutes(new URL(`file://${dir}/`));
    assert.deepEqual(tree.layouts?.map((l) => [l.folder, l.prefix]), [["", "/"], ["shop", "/shop"]]);
    const hono = new Hono<AppEnv>();
    hono.use("*", async (c, next) => {
      const { translator } = await import("../i18n/messages.ts");
      c.set("deps", { assets: { url: (f: string) => `/static/${f}` } } as unknown as AppDeps);
      c.set("t", translator("zh-CN"));
      c.set("locale", "zh-CN");
      c.set("csrf", "x");
      c.set("user", undefined);
      await next();
    });
    mountRoutes(hono, tree);
    const get = async (path: string) => await (await hono.fetch(new Request(`http://x${path}`))).text();
    const home = await get("/");
    assert.match(home, /<div class="outer" data-title="home"><p>home<\/p><\/div>/);
    assert.doesNotMatch(home, /class="inner"/);
    assert.doesNotMatch(home, /console-body/);
    assert.match(
      await get("/shop"),
      /<div class="outer" data-title="shop"><div class="inner" data-title="shop"><p>shop/,
    );
    const deep = await get("/shop/deep/page");
    assert.match(deep, /<div class="outer"[^>]*><div class="inner"[^>]*><p>deep<\/p><\/div><\/div>/);
    assert.match(deep, /<body class="console-body">/, "the inner layout asks for the back office's frame");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the console sidebar lists, by area, exactly the sections each staff role may open", opts, async () => {
  for (const role of STAFF_ROLES) {
    const groups = visibleGroups({ role: "manager", staff_role: role });
    for (const g of groups) {
      for (const s of g.sections) assert.ok(can(role, s.permission), `${role} ${s.href}`);
    }
  }
  assert.deepEqual(visibleGroups({ role: "shopper", staff_role: null }), [], "nothing for a non-manager");
  const c = app.client();
  const user = await c.register(`support-${crypto.randomUUID().slice(0, 6)}@example.com`, "客服");
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } });
  await admin.json("POST", `/api/admin/users/${user.id}/staff-role`, { json: { staffRole: "support" } });
  const html = await (await c.request("GET", "/admin/orders")).text();
  const nav = html.match(/<nav id="console-nav"[^>]*>[\s\S]*?<\/nav>/)![0];
  assert.match(nav, /popover="auto"/);
  assert.match(nav, /订单/);
  assert.match(nav, /href="\/admin\/orders" class="console-link active" aria-current="page"/);
  for (const s of ADMIN_GROUPS.flatMap((g) => g.sections)) {
    assert.equal(nav.includes(`href="${s.href}"`), can("support", s.permission), `support menu ${s.href}`);
  }
  assert.ok(ADMIN_GROUPS.flatMap((g) => g.sections).some((s) => !can("support", s.permission)), "support sees less");
  assert.match(
    html,
    /<nav class="breadcrumbs" aria-label="当前位置"><ol><li><a href="\/admin">管理后台<\/a><\/li><li><span>订单<\/span>/,
  );
  assert.match(html, /<button type="button" class="console-menu" popovertarget="console-nav"/);
  assert.match(html, /<body class="console-body">/);
  assert.doesNotMatch(html, /class="tabbar"/, "no shop tab bar in the back office");
});

Deno.test(
  "empty lists say so: settlements, withdrawals, audit search; the catalogue labels its row actions",
  opts,
  async () => {
    for (const path of ["/admin/settlements", "/admin/withdrawals", "/admin/withdrawals?status=requested"]) {
      const html = await (await admin.request("GET", path)).text();
      assert.match(html, /<tr class="table-empty"><td colspan="\d">.*data-testid="empty-state"/, path);
    }
    const audit = await (await admin.request("GET", "/admin/audit?target=nothing:0")).text();
    assert.match(audit, /data-testid="empty-state"/);
    const en = app.client();
    await en.login("admin@test.example", "admin-password-1");
    await en.request("GET", "/lang/en?back=/").then((r) => r.body?.cancel());
    assert.match(await (await en.request("GET", "/admin/settlements")).text(), /No settlement periods yet/);

    await newProduct("标签商品", "food");
    const catalogue = await (await admin.request("GET", "/admin/products?q=标签商品")).text();
    const actions = catalogue.match(/<form[^>]*class="row-actions"[\s\S]*?<\/form>/)![0];
    for (const name of ["stock", "price", "onShelfAt", "offShelfAt"]) {
      assert.match(actions, new RegExp(`<label>[^<]+<input name="${name}"`), `${name} has a visible label`);
    }
    const select = catalogue.match(/<select name="category" required>[\s\S]*?<\/select>/)![0];
    assert.match(select, /<option value="food">/);
    assert.match(catalogue, /<th scope="col" aria-sort="ascending"|<a class="sort-link" href="\?[^"]*sort=stock/);
    const sorted = await (await admin.request("GET", "/admin/products?sort=stock&dir=desc")).text();
    assert.match(sorted, /aria-sort="descending"/);
    const auditLog = await (await admin.request("GET", "/admin/audit")).text();
    assert.match(auditLog, /<td class="wrap"><details class="json-diff"><summary>查看变更/);
  },
);
