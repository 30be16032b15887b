import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type Product = {
  id: string;
  name: string;
  category: string;
  price: string;
  memberPrice: string;
  stock: number;
  onSale: boolean;
  [key: string]: unknown;
};
type List = { items: Product[]; total: number };

function assertError(res: { status: number; body: unknown }, status: number, code: string, fields: string[] = []) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const body = res.body as ApiError;
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  for (const f of fields) {
    assert.equal(typeof body.error.fields?.[f], "string", `fields.${f} missing in ${JSON.stringify(body)}`);
  }
}

// --- Fixture: two categories, a few named products and 30 fillers. ---------------------------

async function insertCategory(slug: string, zh: string, en: string): Promise<string> {
  const [row] = await app.db.query<{ id: string }>(
    `INSERT INTO categories (slug, name_zh, name_en) VALUES ($1, $2, $3)
     ON CONFLICT (slug) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en RETURNING id`,
    [slug, zh, en],
  );
  return String(row.id);
}

async function insertProduct(
  categoryId: string,
  p: {
    name: string;
    nameEn?: string;
    price: string;
    stock?: number;
    reserved?: number;
    onSale?: boolean;
    sales?: number;
  },
): Promise<string> {
  const [row] = await app.db.query<{ id: string }>(
    `INSERT INTO products (category_id, name, name_en, price, cost_price, stock, reserved, on_sale, sales_count)
     VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8) RETURNING id`,
    [categoryId, p.name, p.nameEn ?? "", p.price, p.stock ?? 50, p.reserved ?? 0, p.onSale ?? true, p.sales ?? 0],
  );
  return String(row.id);
}

const beauty = await insertCategory("beauty", "美妆护肤", "Beauty & Skincare");
const food = await insertCategory("food", "食品生鲜", "Food & Fresh");
const ids = {
  cream: await insertProduct(beauty, {
    name: "保湿面霜",
    nameEn: "Hydrating Cream",
    price: "129.00",
    stock: 40,
    reserved: 15,
    sales: 900,
  }),
  serum: await insertProduct(beauty, { name: "精华液", nameEn: "Serum", price: "99.90", sales: 800 }),
  handCream: await insertProduct(beauty, { name: "护手霜", nameEn: "Hand Cream", price: "19.99", sales: 700 }),
  tea: await insertProduct(food, { name: "乌龙茶", nameEn: "Oolong Tea", price: "58.50", sales: 600 }),
  percent: await insertProduct(food, { name: "100%纯蜂蜜", nameEn: "100% Honey", price: "45.00", sales: 500 }),
  offShelf: await insertProduct(beauty, { name: "下架面霜", nameEn: "Retired Cream", price: "10.00", onSale: false }),
};
await app.db.query(
  `INSERT INTO products (category_id, name, name_en, price, stock, sales_count)
   SELECT $1, '饼干 ' || g, 'Biscuit ' || g, 10 + g, 100, 0 FROM generate_series(1, 30) g`,
  [food],
);
const ON_SALE_TOTAL = 35;

// ------------------------------------------------------------------------------------------------

Deno.test("GET /api/products answers 200 { items, total } with the contract's product fields", opts, async () => {
  const res = await app.client().json<List>("GET", "/api/products");
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(res.body).sort(), ["items", "total"]);
  assert.equal(res.body.total, ON_SALE_TOTAL);
  assert.equal(res.body.items.length, 20, "default page size is 20");
  for (const p of res.body.items) {
    assert.equal(typeof p.id, "string");
    assert.match(p.id, /^\d+$/);
    assert.equal(typeof p.name, "string");
    assert.equal(typeof p.category, "string");
    assert.match(p.price, /^\d+\.\d{2}$/);
    assert.match(p.memberPrice, /^\d+\.\d{2}$/);
    assert.equal(typeof p.stock, "number");
    assert.ok(Number.isInteger(p.stock));
    assert.equal(p.onSale, true);
  }
  const cream = res.body.items.find((p) => p.id === ids.cream)!;
  assert.ok(cream, "best seller is on the first page");
  assert.equal(cream.name, "保湿面霜");
  assert.equal(cream.category, "beauty");
  assert.equal(cream.price, "129.00");
  assert.equal(cream.memberPrice, "129.00", "an anonymous caller pays the list price");
  assert.equal(cream.stock, 25, "stock is on hand minus reserved");
});

Deno.test(
  "GET /api/products pages with page and pageSize; pages are disjoint and cover every product",
  opts,
  async () => {
    const c = app.client();
    const seen = new Set<string>();
    for (let page = 1; page <= 4; page++) {
      const res = await c.json<List>("GET", `/api/products?page=${page}&pageSize=10`);
      assert.equal(res.status, 200);
      assert.equal(res.body.total, ON_SALE_TOTAL);
      assert.equal(res.body.items.length, page < 4 ? 10 : 5);
      for (const p of res.body.items) {
        assert.ok(!seen.has(p.id), `product ${p.id} appears on two pages`);
        seen.add(p.id);
      }
    }
    assert.equal(seen.size, ON_SALE_TOTAL);
    const beyond = await c.json<List>("GET", "/api/products?page=9&pageSize=10");
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body, { items: [], total: ON_SALE_TOTAL });
    const all = await c.json<List>("GET", "/api/products?pageSize=100");
    assert.equal(all.status, 200);
    assert.equal(all.body.items.length, ON_SALE_TOTAL);
  },
);

Deno.test("GET /api/products answers 400 invalid_input with fields.pageSize above 100", opts, async () => {
  const c = app.client();
  assertError(await c.json("GET", "/api/products?pageSize=101"), 400, "invalid_input", ["pageSize"]);
  assertError(await c.json("GET", "/api/products?pageSize=100000"), 400, "invalid_input", ["pageSize"]);
  assertError(await c.json("GET", "/api/products?pageSize=0"), 400, "invalid_input", ["pageSize"]);
  assertError(await c.json("GET", "/api/products?pageSize=ten"), 400, "invalid_input", ["pageSize"]);
});

Deno.test(
  "GET /api/products answers 400 invalid_input with fields.page for a page below 1 or not a number",
  opts,
  async () => {
    const c = app.client();
    assertError(await c.json("GET", "/api/products?page=0"), 400, "invalid_input", ["page"]);
    assertError(await c.json("GET", "/api/products?page=-3"), 400, "invalid_input", ["page"]);
    assertError(await c.json("GET", "/api/products?page=abc"), 400, "invalid_input", ["page"]);
    assertError(await c.json("GET", "/api/products?page=1.5"), 400, "invalid_input", ["page"]);
  },
);

Deno.test("GET /api/products?q= finds products by a Chinese name", opts, async () => {
  const res = await app.client().json<List>("GET", `/api/products?q=${encodeURIComponent("面霜")}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items.map((p) => p.id), [ids.cream]);
  assert.equal(res.body.total, 1, "the off-shelf 下架面霜 is not listed");
  const tea = await app.client().json<List>("GET", `/api/products?q=${encodeURIComponent("乌龙")}`);
  assert.deepEqual(tea.body.items.map((p) => p.id), [ids.tea]);
});

Deno.test("GET /api/products?q= finds products by an English name, case-insensitively", opts, async () => {
  const res = await app.client().json<List>("GET", "/api/products?q=CREAM");
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items.map((p) => p.id).sort(), [ids.cream, ids.handCream].sort());
  assert.equal(res.body.total, 2);
  const tea = await app.client().json<List>("GET", "/api/products?q=oolong");
  assert.deepEqual(tea.body.items.map((p) => p.id), [ids.tea]);
});

Deno.test("GET /api/products?q= also matches the category name, and treats % and _ literally", opts, async () => {
  const byCategory = await app.client().json<List>("GET", `/api/products?q=${encodeURIComponent("美妆")}`);
  assert.equal(byCategory.status, 200);
  assert.deepEqual(byCategory.body.items.map((p) => p.id).sort(), [ids.cream, ids.serum, ids.handCream].sort());
  const percent = await app.client().json<List>("GET", `/api/products?q=${encodeURIComponent("%")}`);
  assert.deepEqual(percent.body.items.map((p) => p.id), [ids.percent]);
  const underscore = await app.client().json<List>("GET", "/api/products?q=_");
  assert.deepEqual(underscore.body, { items: [], total: 0 });
  const none = await app.client().json<List>("GET", "/api/products?q=nothing-like-this");
  assert.deepEqual(none.body, { items: [], total: 0 });
});

Deno.test("GET /api/products answers 400 with fields.q for a search over 100 characters", opts, async () => {
  assertError(await app.client().json("GET", `/api/products?q=${"a".repeat(101)}`), 400, "invalid_input", ["q"]);
});

Deno.test("GET /api/products?category= lists only that category, combined with q and paging", opts, async () => {
  const c = app.client();
  const beautyList = await c.json<List>("GET", "/api/products?category=beauty");
  assert.equal(beautyList.status, 200);
  assert.equal(beautyList.body.total, 3);
  assert.ok(beautyList.body.items.every((p) => p.category === "beauty"));
  const foodList = await c.json<List>("GET", "/api/products?category=food&pageSize=5&page=2");
  assert.equal(foodList.body.total, 32);
  assert.equal(foodList.body.items.length, 5);
  assert.ok(foodList.body.items.every((p) => p.category === "food"));
  const both = await c.json<List>("GET", "/api/products?category=beauty&q=cream");
  assert.deepEqual(both.body.items.map((p) => p.id).sort(), [ids.cream, ids.handCream].sort());
  const crossed = await c.json<List>("GET", "/api/products?category=food&q=cream");
  assert.deepEqual(crossed.body, { items: [], total: 0 });
  const unknown = await c.json<List>("GET", "/api/products?category=no-such-category");
  assert.equal(unknown.status, 200);
  assert.deepEqual(unknown.body, { items: [], total: 0 });
});

Deno.test("GET /api/products/:id answers 200 { product } with the same fields as the list", opts, async () => {
  const res = await app.client().json<{ product: Product }>("GET", `/api/products/${ids.serum}`);
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(res.body), ["product"]);
  const p = res.body.product;
  assert.equal(p.id, ids.serum);
  assert.equal(p.name, "精华液");
  assert.equal(p.category, "beauty");
  assert.equal(p.price, "99.90");
  assert.equal(p.memberPrice, "99.90");
  assert.equal(p.stock, 50);
  assert.equal(p.onSale, true);
  const list = await app.client().json<List>("GET", "/api/products?q=serum");
  assert.deepEqual(list.body.items[0], p);
  const cream = await app.client().json<{ product: Product }>("GET", `/api/products/${ids.cream}`);
  assert.equal(cream.body.product.stock, 25);
});

Deno.test("GET /api/products/:id answers 404 not_found for an unknown or malformed id", opts, async () => {
  const c = app.client();
  for (const id of ["999999", "0", "abc", "1.5", "-1", "99999999999999999999", "999999999999999999", "%20"]) {
    assertError(await c.json("GET", `/api/products/${id}`), 404, "not_found");
  }
});

Deno.test(
  "GET /api/products hides products off sale from visitors and shoppers but a manager sees them",
  opts,
  async () => {
    const anon = app.client();
    assertError(await anon.json("GET", `/api/products/${ids.offShelf}`), 404, "not_found");
    const shopper = app.client();
    await shopper.register("shopper-cat@example.com", "Shopper");
    assertError(await shopper.json("GET", `/api/products/${ids.offShelf}`), 404, "not_found");
    const shopperList = await shopper.json<List>("GET", "/api/products?pageSize=100");
    assert.equal(shopperList.body.total, ON_SALE_TOTAL);
    assert.ok(!shopperList.body.items.some((p) => p.id === ids.offShelf));

    const manager = app.client();
    assert.equal((await manager.login(app.settings.ADMIN_EMAIL, app.settings.ADMIN_PASSWORD!)).status, 200);
    const seen = await manager.json<{ product: Product }>("GET", `/api/products/${ids.offShelf}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.product.onSale, false);
    const managerList = await manager.json<List>("GET", "/api/products?pageSize=100");
    assert.equal(managerList.body.total, ON_SALE_TOTAL + 1);
    assert.ok(managerList.body.items.some((p) => p.id === ids.offShelf && p.onSale === false));
  },
);

Deno.test("GET /api/products shows memberPrice at the caller's member level", opts, async () => {
  const c = app.client();
  const user = await c.register("gold@example.com", "Gold");
  await app.db.query("UPDATE users SET level = 'gold' WHERE id = $1", [user.id]);
  const one = await c.json<{ product: Product }>("GET", `/api/products/${ids.cream}`);
  assert.equal(one.body.product.price, "129.00");
  assert.equal(one.body.product.memberPrice, "122.55", "gold members pay 95 %");
  const list = await c.json<List>("GET", "/api/products?q=serum");
  assert.equal(list.body.items[0].price, "99.90");
  assert.equal(list.body.items[0].memberPrice, "94.91", "99.90 × 0.95 = 94.905, rounded half-up");
  // Another caller at the same moment still sees the list price.
  const anon = await app.client().json<{ product: Product }>("GET", `/api/products/${ids.cream}`);
  assert.equal(anon.body.product.memberPrice, "129.00");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
