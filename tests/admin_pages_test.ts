import assert from "node:assert/strict";
import sharp from "sharp";
import { createTestApp } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("the manager console pages answer by staff role; forms need the CSRF token", opts, async () => {
  const admin = app.client();
  await admin.login("admin@test.example", "admin-password-1");
  for (
    const path of [
      "/admin",
      "/admin/orders",
      "/admin/withdrawals",
      "/admin/audit",
      "/admin/plan",
      "/admin/orders.csv",
      "/admin/audit?format=csv",
      "/admin/audit?format=xlsx",
      "/admin/staff",
      "/admin/products.csv",
      "/admin/products.xlsx",
      "/admin/analytics.pdf",
      "/admin?days=7&city=%E4%B8%8A%E6%B5%B7&rank=gold",
      "/admin/analytics/top-products.xlsx",
    ]
  ) {
    const res = await admin.request("GET", path);
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  const support = app.client();
  const user = await support.register("support@example.com", "Support");
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } });
  const audit = await support.request("GET", "/admin/audit");
  assert.equal(audit.status, 403);
  await audit.body?.cancel();
  const orders = await support.request("GET", "/admin/orders");
  assert.equal(orders.status, 200);
  await orders.body?.cancel();
  const shopper = app.client();
  await shopper.register("shopper@example.com", "Shopper");
  const denied = await shopper.request("GET", "/admin/orders");
  assert.equal(denied.status, 403);
  await denied.body?.cancel();
  const noCsrf = await admin.request("POST", "/admin/orders/1/ship", {
    body: "carrier=SF&trackingNumber=SF1234",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(noCsrf.status, 403);
  await noCsrf.body?.cancel();
});

Deno.test(
  "every analytics table downloads as CSV and XLSX with the page's filters, audited; unknown tables are 400",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const headers: Record<string, string> = {
      "top-products": "product_id,商品,件数,销售额",
      "top-distributors": "member_id,分销员,销售额,佣金",
      "commission-by-tier": "层级,佣金",
      "orders-per-minute": "时间（分钟）,今日支付订单",
    };
    for (const [table, header] of Object.entries(headers)) {
      const before = await app.db.query("SELECT id FROM audit_log WHERE target = $1", [`analytics:${table}`]);
      const csv = await admin.request("GET", `/admin/analytics/${table}.csv?days=7`);
      assert.equal(csv.status, 200, table);
      assert.match(csv.headers.get("content-disposition") ?? "", new RegExp(`${table}\\.csv`));
      assert.equal((await csv.text()).replace(/^\uFEFF/, "").split(/\r?\n/)[0], header);
      const xlsx = await admin.request("GET", `/admin/analytics/${table}.xlsx?rank=gold`);
      assert.equal(xlsx.status, 200, table);
      assert.equal(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2).join(), "80,75", "a zip (XLSX) file");
      const after = await app.db.query<{ after: { format: string } }>(
        "SELECT after FROM audit_log WHERE target = $1 ORDER BY id",
        [`analytics:${table}`],
      );
      assert.equal(after.length, before.length + 2, "each download is audited once");
    }
    // review13: the dashboard's rank filter has its own label (not the distributor's "我的等级").
    for (const [lang, label] of [["zh-CN", "分销等级"], ["en", "Distributor rank"]]) {
      const dash = await (await admin.request("GET", "/admin", { headers: { "accept-language": lang } })).text();
      assert.match(dash, new RegExp(`<label>${label}<select name="rank">`), lang);
      assert.doesNotMatch(dash, /<label>(我的等级|My rank)<select name="rank">/);
    }
    const json = await admin.json<
      { state: { gmv: string; perMinute: unknown[] }; yesterday: { gmv: string }; lastEventId: number }
    >(
      "GET",
      "/admin/analytics.json?days=7",
    );
    assert.equal(json.status, 200);
    assert.match(json.body.state.gmv, /^\d+\.\d{2}$/);
    assert.ok(Array.isArray(json.body.state.perMinute) && typeof json.body.lastEventId === "number");
    assert.match(json.body.yesterday.gmv, /^\d+\.\d{2}$/);
    for (
      const bad of [
        "/admin/analytics/secrets.csv",
        "/admin/analytics/top-products.csv?days=0",
        "/admin/analytics.json?days=0",
      ]
    ) {
      const res = await admin.request("GET", bad);
      assert.equal(res.status, 400, bad);
      await res.body?.cancel();
    }
  },
);

Deno.test(
  "product edit page: every field saved by form with one audit entry of what changed; bad input shows errors and changes nothing",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const post = (path: string, fields: Record<string, string>) => admin.form(path, fields);
    // The short create form picks a category the shop has (here made by the API, which may name new ones),
    // and leads to the full edit page.
    await admin.json("POST", "/api/admin/products", {
      json: { name: "美妆样品", category: "beauty", price: "9.00", costPrice: "3.00", stock: 1, lowStockThreshold: 0 },
    });
    const made = await post("/admin/products/new", {
      name: "编辑测试",
      category: "beauty",
      price: "20.00",
      costPrice: "8.00",
      stock: "12",
      lowStockThreshold: "3",
    });
    assert.equal(made.status, 303);
    const edit = made.headers.get("location")!;
    assert.match(edit, /^\/admin\/products\/\d+\/edit\?created=1$/);
    const id = edit.split("/")[3];
    const page = await admin.request("GET", edit);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /value="编辑测试"/);
    assert.match(html, /name="specs"/);
    assert.match(html, /name="onSale" value="on" checked/);
    assert.match(html, /name="restockLeadDays"[^>]*value="7"/, "the default restock lead time is shown");

    // The form picks its category from the shop's list; the API takes listed categories only too.
    assert.match(html, /<select id="f-category" name="category" required>/);
    assert.match(html, /<option value="beauty" selected>/);
    const newCategory = await admin.json<{ error: { code: string; fields: Record<string, string> } }>(
      "POST",
      "/api/admin/products",
      {
        json: {
          name: "新分类的商品",
          category: "茶饮新品",
          price: "9.00",
          costPrice: "3.00",
          stock: 1,
          lowStockThreshold: 0,
        },
      },
    );
    assert.equal(newCategory.status, 400);
    assert.match(newCategory.body.error.fields.category, /beauty, food/);
    assert.equal((await app.db.query("SELECT 1 FROM categories WHERE name_zh = '茶饮新品'")).length, 0);
    const full = {
      name: "编辑测试 二代",
      nameEn: "Edit test II",
      description: "新配方\n温和不刺激",
      category: "食品生鲜",
      brand: "新品牌",
      specs: "容量: 250 ml\n产地：杭州",
      price: "22.00",
      costPrice: "8.00",
      stock: "12",
      lowStockThreshold: "3",
      restockLeadDays: "12",
      onShelfAt: "",
      offShelfAt: "2030-01-01T10:00",
      featured: "on",
    }; // onSale left unticked: taken off the shelf
    const auditCount = async () =>
      (await app.db.query("SELECT 1 FROM audit_log WHERE target = $1", [`product:${id}`])).length;
    const audits = await auditCount();
    const saved = await post(`/admin/products/${id}/edit`, full);
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), `/admin/products/${id}/edit?saved=1`);
    const [row] = await app.db.query<Record<string, unknown>>(
      `SELECT p.name, p.name_en, p.description, c.name_zh AS category, b.name AS brand, p.specs, p.price, p.on_sale,
              p.featured, p.off_shelf_at, p.restock_lead_days
         FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id WHERE p.id = $1`,
      [id],
    );
    assert.deepEqual({ ...row, off_shelf_at: new Date(row.off_shelf_at as string).toISOString() }, {
      name: "编辑测试 二代",
      name_en: "Edit test II",
      description: "新配方\n温和不刺激",
      category: "食品生鲜",
      brand: "新品牌",
      specs: { 容量: "250 ml", 产地: "杭州" },
      price: "22.00",
      on_sale: false,
      featured: true,
      off_shelf_at: "2030-01-01T02:00:00.000Z",
      restock_lead_days: 12,
    });
    assert.equal(await auditCount(), audits + 1, "one audit entry for the save");
    const [entry] = await app.db.query<
      { action: string; before: Record<string, unknown>; after: Record<string, unknown> }
    >(
      "SELECT action, before, after FROM audit_log WHERE target = $1 ORDER BY id DESC LIMIT 1",
      [`product:${id}`],
    );
    assert.equal(entry.action, "product.update");
    assert.deepEqual(Object.keys(entry.after).sort(), [
      "brandId",
      "categoryId",
      "description",
      "featured",
      "name",
      "nameEn",
      "offShelfAt",
      "onSale",
      "price",
      "restockLeadDays",
      "specs",
    ]);
    assert.deepEqual([entry.before.price, entry.after.price], ["20.00", "22.00"]);
    assert.deepEqual([entry.before.restockLeadDays, entry.after.restockLeadDays], [7, 12]);
    const list = await (await admin.request("GET", "/admin/products?q=%E7%BC%96%E8%BE%91%E6%B5%8B%E8%AF%95")).text();
    assert.match(list, /补货周期 12 天/, "the forecast column shows the lead time");
    assert.deepEqual([entry.before.onSale, entry.after.onSale], [true, false]);

    // Bad input: the form comes back with what was typed and an error by each bad field; nothing changes.
    const bad = await post(`/admin/products/${id}/edit`, {
      ...full,
      price: "abc",
      specs: "没有冒号",
      name: "",
      restockLeadDays: "400",
    });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /id="f-price-error"/);
    assert.match(badHtml, /id="f-specs-error"[^>]*>第 1 行缺少冒号/, "in the manager's language");
    assert.match(badHtml, /id="f-price-error"[^>]*>请输入金额/);
    assert.match(badHtml, /id="f-restockLeadDays-error"[^>]*>请输入 0 到 365 之间的整数天数/);
    assert.match(badHtml, /id="f-name-error"/);
    assert.match(badHtml, /value="abc"/, "what was typed is kept");
    assert.equal(await auditCount(), audits + 1);
    const [still] = await app.db.query<{ price: string }>("SELECT price FROM products WHERE id = $1", [id]);
    assert.equal(still.price, "22.00");

    // A category that is not on the list was not picked: refused by the field, no category is made.
    const categories = async () => (await app.db.query("SELECT 1 FROM categories")).length;
    const before = await categories();
    const unlisted = await post(`/admin/products/${id}/edit`, { ...full, category: "随手写的分类" });
    assert.equal(unlisted.status, 400);
    assert.match(await unlisted.text(), /id="f-category-error"[^>]*>请从列表中选择分类/);
    const quick = await post("/admin/products/new", {
      name: "随手商品",
      category: "另一个随手分类",
      price: "9.00",
      costPrice: "3.00",
      stock: "1",
      lowStockThreshold: "0",
    });
    assert.equal(quick.status, 400);
    assert.match(await quick.text(), /请从列表中选择分类/);
    assert.equal(await categories(), before);

    // Below what unpaid orders reserved: refused with the reason, nothing changes.
    await app.db.query("UPDATE product_skus SET reserved = 5 WHERE product_id = $1", [id]); // reservations live on SKUs
    const below = await post(`/admin/products/${id}/edit`, { ...full, stock: "2", price: "30.00" });
    assert.equal(below.status, 409);
    assert.match(await below.text(), /库存不能低于未支付订单占用的 5 件/);
    const [unchanged] = await app.db.query<{ price: string; stock: number }>(
      "SELECT price, stock FROM products WHERE id = $1",
      [id],
    );
    assert.deepEqual(unchanged, { price: "22.00", stock: 12 });
    await app.db.query("UPDATE product_skus SET reserved = 0 WHERE product_id = $1", [id]);

    for (const [path, status] of [["/admin/products/999999/edit", 404], ["/admin/products/abc/edit", 404]] as const) {
      const res = await admin.request("GET", path);
      assert.equal(res.status, status, path);
      await res.body?.cancel();
    }
    const noCsrf = await admin.request("POST", `/admin/products/${id}/edit`, {
      body: new URLSearchParams(full).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(noCsrf.status, 403);
    await noCsrf.body?.cancel();
  },
);

Deno.test(
  "archiving a product (the catalogue's delete): off sale, out of every list, audited once, restorable; its orders keep it",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: {
        name: "归档测试品",
        category: "beauty",
        price: "15.00",
        costPrice: "5.00",
        stock: 9,
        lowStockThreshold: 1,
      },
    });
    const id = created.body.product.id;
    const audits = async (action: string) =>
      (await app.db.query("SELECT 1 FROM audit_log WHERE target = $1 AND action = $2", [`product:${id}`, action]))
        .length;
    const shopIds = async () =>
      (await app.client().json<{ items: { id: string }[] }>("GET", "/api/products?q=归档测试品")).body.items.map((p) =>
        p.id
      );
    assert.deepEqual(await shopIds(), [id]);

    const archived = await admin.json<{ product: { archived: boolean; onSale: boolean } }>(
      "DELETE",
      `/api/admin/products/${id}`,
    );
    assert.equal(archived.status, 200);
    assert.deepEqual([archived.body.product.archived, archived.body.product.onSale], [true, false]);
    assert.equal((await admin.json("DELETE", `/api/admin/products/${id}`)).status, 200, "archiving again is a no-op");
    assert.equal(await audits("product.archive"), 1);
    assert.deepEqual(await shopIds(), [], "gone from the shop");
    assert.equal((await app.client().json("GET", `/api/products/${id}`)).status, 404);
    const live = await (await admin.request("GET", "/admin/products?q=归档测试品")).text();
    assert.doesNotMatch(live, new RegExp(`/admin/products/${id}/edit`), "gone from the catalogue list");
    const archive = await (await admin.request("GET", "/admin/products?archived=1&q=归档测试品")).text();
    assert.match(archive, new RegExp(`/admin/products/${id}/edit`), "listed under 已归档");
    const onSale = await admin.json<{ error: { code: string } }>("PATCH", `/api/admin/products/${id}`, {
      json: { onSale: true },
    });
    assert.equal(onSale.status, 409, "restore before selling again");

    // Restored by the page's form: back in the catalogue, still off sale.
    const restored = await admin.form(`/admin/products/${id}/restore`, {});
    assert.equal(restored.status, 303);
    const [row] = await app.db.query<{ archived_at: unknown; on_sale: boolean }>(
      "SELECT archived_at, on_sale FROM products WHERE id = $1",
      [id],
    );
    assert.deepEqual(row, { archived_at: null, on_sale: false });
    assert.equal(await audits("product.restore"), 1);
    for (
      const [method, path, status] of [["DELETE", "/api/admin/products/999999", 404], [
        "DELETE",
        "/api/admin/products/abc",
        400,
      ]] as const
    ) {
      const res = await admin.json(method, path);
      assert.equal(res.status, status, path);
    }
  },
);

Deno.test(
  "catalogue page: forecast flags, stock change by form, picture upload (PNG only) served in place of the generated one",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: {
        name: "图片商品",
        category: "beauty",
        price: "10.00",
        costPrice: "5.00",
        stock: 30,
        lowStockThreshold: 5,
      },
    });
    const id = created.body.product.id;
    const page = await admin.request("GET", "/admin/products");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /图片商品/);
    await admin.request("GET", "/admin/products"); // sets the csrf cookie if needed
    const csrf = admin.cookies.get("csrf")!;
    const change = await admin.request("POST", `/admin/products/${id}`, {
      body: new URLSearchParams({ _csrf: csrf, stock: "3" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(change.status, 303);
    const [row] = await app.db.query<{ stock: number }>("SELECT stock FROM products WHERE id = $1", [id]);
    assert.equal(row.stock, 3);
    const schedule = await admin.request("POST", `/admin/products/${id}`, {
      body: new URLSearchParams({ _csrf: csrf, offShelfAt: "2020-01-01T10:00" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(schedule.status, 303);
    const offShelf = await app.client().request("GET", `/api/products/${id}`);
    assert.equal(offShelf.status, 404, "past its off-shelf time the product is hidden from shoppers");
    await offShelf.body?.cancel();
    // A real picture: uploads are decoded to make their thumbnails, so a PNG header alone is refused.
    const png = new Uint8Array(
      await sharp({ create: { width: 4, height: 4, channels: 3, background: "#e4393c" } }).png().toBuffer(),
    );
    const form = new FormData();
    form.set("_csrf", csrf);
    form.set("image", new File([png], "a.png", { type: "image/png" }));
    const upload = await admin.request("POST", `/admin/products/${id}/image`, { body: form });
    assert.equal(upload.status, 303);
    const image = await app.client().request("GET", `/images/products/${id}.svg`);
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png);
    const bad = new FormData();
    bad.set("_csrf", csrf);
    bad.set("image", new File(["<svg onload=alert(1)>"], "x.svg", { type: "image/svg+xml" }));
    const refused = await admin.request("POST", `/admin/products/${id}/image`, { body: bad });
    assert.equal(refused.status, 400);
    await refused.body?.cancel();
    // A malformed multipart body is a clear 400 (not a 500); a picture over the limit is refused before it is read.
    const malformed = await admin.request("POST", `/admin/products/${id}/image`, {
      body: "--other\r\nnot a part of this boundary",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /无法读取上传的内容/);
    const huge = new FormData();
    huge.set("_csrf", csrf);
    huge.set("image", new File([new Uint8Array(3 * 1024 * 1024)], "big.png", { type: "image/png" }));
    const tooBig = await admin.request("POST", `/admin/products/${id}/image`, { body: huge });
    assert.equal(tooBig.status, 400);
    assert.match(await tooBig.text(), /文件过大（上限 2 MB）/);
  },
);

Deno.test("a distributor's profile page shows rank, team and tags; unknown ids are 404", opts, async () => {
  const admin = app.client();
  await admin.login("admin@test.example", "admin-password-1");
  const d = app.client();
  const user = await d.register(`dp-${crypto.randomUUID().slice(0, 6)}@example.com`, "Profile Person");
  await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "distributor" } });
  const page = await admin.request("GET", `/admin/distributors/${user.id}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Profile Person/);
  const missing = await admin.request("GET", "/admin/distributors/999999");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
