import assert from "node:assert/strict";
import { buyAndPay, createTestApp, TEST_ADDRESS, type TestClient } from "./helpers.ts";
import { readXlsx } from "../lib/xlsx.ts";
import { cleanText, textProblem } from "../domain/text.ts";
import { text } from "../lib/text.ts";
import { CryptoBox } from "../lib/crypto_box.ts";
import { type DeliveryAddress, openOrderAddress, type OrderRow, setOrderAddress } from "../db/orders_repo.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

async function product(name = `商品 ${crypto.randomUUID().slice(0, 4)}`): Promise<string> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name,
      category: "beauty",
      brand: "晨露",
      price: "100.00",
      costPrice: "10.00",
      stock: 100,
      lowStockThreshold: 1,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.product.id;
}

async function member(name: string, referralCode?: string): Promise<{ client: TestClient; id: string; code: string }> {
  const client = app.client();
  const user = await client.register(
    `m-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name,
    referralCode ? { referralCode } : {},
  );
  return { client, id: user.id, code: user.referralCode };
}

async function status(client: TestClient, path: string): Promise<number> {
  const res = await client.request("GET", path);
  await res.body?.cancel();
  return res.status;
}

const root = await member("Root");
const seller = await member("Seller", root.code);
const buyer = await member("Buyer", seller.code);
const pid = await product();
await buyAndPay(buyer.client, app.settings.paymentSandboxSecret, pid, 1);

Deno.test("a NUL byte in any text query parameter is a 400 naming the parameter, never a 500", opts, async () => {
  const paths = [
    "/?q=",
    "/?category=",
    "/?brand=a",
    "/api/products?q=",
    "/api/products?category=",
    "/api/products?brand=",
    "/admin/orders?q=",
    "/admin/products?q=",
    "/admin/audit?action=",
    "/admin/audit?actor=",
    "/admin/audit?target=",
    "/admin?city=",
    "/api/admin/audit?action=",
    "/api/admin/orders?q=",
    "/admin/settlements/1?q=",
    "/register?ref=",
    "/login?next=",
    "/distributor/earnings?month=",
    "/api/me/team?q=",
    "/api/me/team/search?q=",
    "/distributor/team?q=",
  ];
  for (const path of paths) {
    const res = await admin.request("GET", `${path}%00`, { headers: { accept: "application/json" } });
    const body = await res.text();
    assert.equal(res.status, 400, `${path}%00 → ${res.status}`);
    const param = path.slice(path.indexOf("?") + 1, path.indexOf("="));
    if (path.startsWith("/api/")) assert.ok(JSON.parse(body).error.fields[param], `${path} names ${param}`);
  }
});

Deno.test("search text is matched literally: \\, % and _ are not LIKE wildcards or escapes", opts, async () => {
  for (
    const path of ["/admin/orders?q=%5C", "/admin/products?q=%5C", "/admin/audit?target=%5C", "/api/me/team?q=%5C"]
  ) {
    assert.equal(await status(path.startsWith("/api/me") ? seller.client : admin, path), 200, path);
  }
  const orderLinks = async (q: string) => {
    const res = await admin.request("GET", `/admin/orders?q=${q}`);
    assert.equal(res.status, 200);
    return ((await res.text()).match(/href="\/admin\/orders\/\d+"/g) ?? []).length;
  };
  assert.ok(await orderLinks("") >= 1);
  for (const q of ["_", "%25", "%5C"]) assert.equal(await orderLinks(q), 0, `q=${q} matches no order`);
  const team = await root.client.json<{ members: unknown[] }>("GET", "/api/me/team?q=_");
  assert.equal(team.body.members.length, 0, "_ is not a wildcard in the team search");
});

Deno.test("free text with NUL, control characters or lone surrogates is a 400 naming the field", opts, async () => {
  const client = app.client();
  for (const name of ["a\u0000b", "Bell\u0007", "x\ud800y", "tab\there"]) {
    const res = await client.json<{ error: { fields: Record<string, string> } }>("POST", "/api/auth/register", {
      json: { email: `x-${crypto.randomUUID().slice(0, 6)}@example.com`, password: "password-123", name },
    });
    assert.equal(res.status, 400, JSON.stringify(name));
    assert.ok(res.body.error.fields.name, JSON.stringify(res.body));
  }
  for (const line1 of ["x\ud800y", "a\u0000b", "\udc00"]) {
    const res = await buyer.client.json<{ error: { fields: Record<string, string> } }>("POST", "/api/orders", {
      json: { items: [{ productId: pid, quantity: 1 }], address: { ...TEST_ADDRESS, line1 } },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.ok(res.body.error.fields["address.line1"], JSON.stringify(res.body));
  }
  const brand = await admin.json<{ error: { fields: Record<string, string> } }>("POST", "/api/admin/products", {
    json: {
      name: "N",
      category: "beauty",
      brand: "a\u0000",
      price: "1.00",
      costPrice: "1.00",
      stock: 1,
      lowStockThreshold: 1,
    },
  });
  assert.equal(brand.status, 400);
  assert.ok(brand.body.error.fields.brand);
  // The HTML form says it next to the field too.
  const form = await client.form("/register", {
    email: "f@example.com",
    password: "password-123",
    name: "Bell\u0007",
  }, "/register");
  assert.equal(form.status, 400);
  assert.match(await form.text(), /控制字符|control characters/);
});

Deno.test("text() normalises to NFC and keeps line breaks only where asked", () => {
  assert.equal(text().parse("e\u0301"), "\u00e9");
  assert.equal(text({ multiline: true }).parse("a\nb"), "a\nb");
  assert.equal(text().safeParse("a\nb").success, false);
  assert.equal(textProblem("ok 中文 👍"), null);
  assert.equal(textProblem("\ud83d"), "encoding");
  assert.equal(cleanText("Bell\u0007\u202e\ue000 \ud800x"), "Bell? \ufffdx");
});

Deno.test("PDFs and CSV/XLSX exports work for any stored text (rows stored before validation)", opts, async () => {
  // Rows written before the edge refused such text: control characters, a bidi override, private use.
  const bad = "Bell\u0007\u202e\ue000\u001b[31m";
  await app.db.query("UPDATE users SET name = $1 WHERE id = $2", [bad, seller.id]);
  await app.db.query("UPDATE users SET name = $1 WHERE id = $2", [`${bad}2`, buyer.id]);
  await app.db.query("UPDATE products SET name = $1, name_en = $1 WHERE id = $2", [`=${bad}`, pid]);
  const box = CryptoBox.fromSettings(app.settings);
  for (const o of await app.db.query<OrderRow>("SELECT id, address, address_enc FROM orders")) {
    await setOrderAddress(app.db, box, String(o.id), { ...openOrderAddress(box, o), name: bad } as DeliveryAddress);
  }
  // A statement for the seller, to read its PDF.
  await new Promise((r) => setTimeout(r, 1100));
  const close = await admin.json<{ period: { id: string } }>("POST", "/api/admin/settlements", {
    json: { startsAt: "2026-01-01T00:00:00Z", endsAt: new Date(Date.now() - 500).toISOString() },
  });
  assert.equal(close.status, 201, JSON.stringify(close.body));
  const mine = await seller.client.json<{ items: { id: string }[] }>("GET", "/api/me/statements");
  assert.equal(mine.body.items.length, 1);
  const statement = mine.body.items[0].id;

  const pdfs: [TestClient, string][] = [
    [seller.client, `/api/me/statements/${statement}.pdf`],
    [admin, `/admin/statements/${statement}.pdf`],
  ];
  for (const role of ["admin", "finance", "operations", "support"]) {
    const staff = await member(`Staff ${role}`);
    await app.db.query("UPDATE users SET role = 'manager', staff_role = $1 WHERE id = $2", [role, staff.id]);
    pdfs.push([staff.client, "/admin/analytics.pdf"]);
  }
  for (const [client, path] of pdfs) {
    const res = await client.request("GET", path);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(res.status, 200, path);
    assert.equal(new TextDecoder().decode(bytes.slice(0, 5)), "%PDF-", path);
  }
  for (const path of ["/admin/analytics/top-distributors.csv", "/admin/orders.csv", "/admin/products.csv"]) {
    const res = await admin.request("GET", path);
    const csv = await res.text();
    assert.equal(res.status, 200, path);
    assert.doesNotMatch(csv, CONTROL, path);
    assert.match(csv, /Bell/, `${path} still shows the rest of the text`);
  }
  for (const path of ["/admin/analytics/top-distributors.xlsx", "/admin/products.xlsx"]) {
    const res = await admin.request("GET", path);
    assert.equal(res.status, 200, path);
    const rows = await readXlsx(new Uint8Array(await res.arrayBuffer()));
    const cells = rows.flatMap((r) => r.cells).join("\n");
    assert.doesNotMatch(cells, CONTROL, path);
    assert.match(cells, /Bell/, path);
  }
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
