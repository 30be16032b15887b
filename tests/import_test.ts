import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { toXlsx } from "../lib/xlsx.ts";
import { parseCsv } from "../lib/csv.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

function file(rows: number, bad: Map<number, string> = new Map()): string {
  const lines = ["name,nameEn,category,brand,price,costPrice,stock,lowStockThreshold,onSale"];
  for (let i = 1; i <= rows; i++) {
    lines.push(bad.get(i) ?? `商品${i},Item ${i},beauty,晨露,${(10 + i % 90).toFixed(2)},5.00,${i % 50},5,true`);
  }
  return lines.join("\n") + "\n";
}

async function upload(text: string | Uint8Array<ArrayBuffer>, dryRun: boolean) {
  return await admin.json<
    {
      import?: { rows: number; imported: number };
      error?: { code: string; message: string; fields: Record<string, string> };
    }
  >(
    "POST",
    `/api/admin/products/import${dryRun ? "?dryRun=true" : ""}`,
    { body: text, headers: { "content-type": "text/csv" } },
  );
}

Deno.test(
  "a 1,000-row import with 3 bad rows is refused whole with their line numbers and reasons; fixed, all 1,000 import",
  opts,
  async () => {
    const bad = new Map([[10, "坏价格,x,beauty,,abc,5.00,1,1,true"], [500, ",x,beauty,,10.00,5.00,1,1,true"], [
      999,
      "负库存,x,beauty,,10.00,5.00,-3,1,true",
    ]]);
    const dry = await upload(file(1000, bad), true);
    assert.equal(dry.status, 400);
    assert.deepEqual(Object.keys(dry.body.error!.fields).sort(), ["line 1000", "line 11", "line 501"].sort());
    assert.match(dry.body.error!.fields["line 11"], /price/);
    const real = await upload(file(1000, bad), false);
    assert.equal(real.status, 400);
    const [{ n: before }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM products");
    assert.equal(before, 0, "nothing was imported");
    const okDry = await upload(file(1000), true);
    assert.equal(okDry.status, 200);
    assert.deepEqual(okDry.body.import, { dryRun: true, rows: 1000, imported: 0 });
    const ok = await upload(file(1000), false);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const [{ n }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM products");
    assert.equal(n, 1000);
    const audit = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'product.import'",
    );
    assert.equal(audit[0].n, 1, "one audit entry for the import");
  },
);

Deno.test("a 5 MB garbage file gets a clear error; a binary file too; the template downloads", opts, async () => {
  const garbage = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7919) % 256);
  const big = await upload(garbage, true);
  assert.equal(big.status, 400);
  assert.match(big.body.error!.message, /too large/);
  const binary = await upload(new Uint8Array([0xff, 0xfe, 0x00, 0x41]), true);
  assert.equal(binary.status, 400);
  const noHeader = await upload("hello,world\n1,2\n", true);
  assert.equal(noHeader.status, 400);
  assert.match(noHeader.body.error!.message, /columns/);
  const template = await admin.request("GET", "/api/admin/products/import-template.csv");
  assert.equal(template.status, 200);
  const templateText = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await template.arrayBuffer());
  assert.match(
    templateText,
    /^\uFEFFname,nameEn,category,.*,onSale,restockLeadDays\n/,
    "a BOM for Excel, then the header",
  );
  assert.equal((await upload(templateText, true)).status, 200, "the template itself imports");
  const shopper = app.client();
  await shopper.register("s@example.com", "S");
  assert.equal(
    (await shopper.json("POST", "/api/admin/products/import", { body: "x", headers: { "content-type": "text/csv" } }))
      .status,
    403,
  );
});

Deno.test("an XLSX workbook imports the same way", opts, async () => {
  const rows = [
    ["name", "nameEn", "category", "brand", "price", "costPrice", "stock", "lowStockThreshold", "onSale"],
    ["表格商品一", "Sheet Item 1", "beauty", "", "19.90", "5.00", "10", "2", "true"],
    ["表格商品二", "Sheet Item 2", "food", "", "29.90", "9.00", "20", "2", "false"],
  ];
  const ok = await upload(await toXlsx(rows), false);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const found = await app.db.query<{ name: string; on_sale: boolean }>(
    "SELECT name, on_sale FROM products WHERE name LIKE '表格商品%' ORDER BY name",
  );
  assert.deepEqual(found.map((p) => [p.name, p.on_sale]), [["表格商品一", true], ["表格商品二", false]]);
  const bad = await upload(
    await toXlsx([rows[0], ["", "x", "beauty", "", "abc", "1", "1", "1", "true"]]),
    true,
  );
  assert.equal(bad.status, 400);
  assert.ok(bad.body.error!.fields["line 2"]);
});

const HEADER = "name,nameEn,category,brand,price,costPrice,stock,lowStockThreshold,onSale,restockLeadDays";
const row = (name: string, lead = "") => `${name},${name} EN,beauty,,19.90,5.00,10,2,true,${lead}`;
const productCount = async () => (await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM products"))[0].n;

async function createProduct(name: string) {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: { name, category: "beauty", price: "10.00", costPrice: "5.00", stock: 3, lowStockThreshold: 1 },
  });
  assert.equal(res.status, 201);
  return res.body.product.id;
}

Deno.test(
  "every reason of every bad row is reported; a name repeated in the file or already in the live catalogue is refused",
  opts,
  async () => {
    const live = await createProduct("已在售面霜");
    const archived = await createProduct("已归档面霜");
    assert.equal((await admin.json("DELETE", `/api/admin/products/${archived}`)).status, 200);
    const lines = [
      HEADER,
      "双错,x,beauty,,abc,5.00,-3,1,maybe,", // line 2: three reasons
      row("重名眼霜"), // line 3
      row("重名眼霜"), // line 4: repeats line 3
      row("已在售面霜"), // line 5: a live product has this name
      row("已归档面霜", "14"), // line 6: only an archived product has it, so it may come back
      row("周期太长", "400"), // line 7
      row("干净的行", "3"), // line 8
    ];
    const before = await productCount();
    const dry = await upload(lines.join("\n"), true);
    assert.equal(dry.status, 400);
    const fields = dry.body.error!.fields;
    assert.deepEqual(Object.keys(fields), ["line 2", "line 4", "line 5", "line 7"]);
    assert.match(fields["line 2"], /^price: .+; stock: Enter a whole number, zero or more; onSale: Use true or false/);
    assert.equal(fields["line 4"], "name: Duplicates line 3 of this file");
    assert.equal(fields["line 5"], `name: Already in the catalogue as product ${live}`);
    assert.equal(fields["line 7"], "restockLeadDays: Enter a whole number of days from 0 to 365");
    assert.match(dry.body.error!.message, /^4 row\(s\) are wrong; nothing was imported$/);
    assert.equal((await upload(lines.join("\n"), false)).status, 400);
    assert.equal(await productCount(), before, "nothing was imported");

    const fixed = [HEADER, lines[2], lines[5], lines[7]].join("\n");
    const ok = await upload(fixed, false);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const made = await app.db.query<{ name: string; restock_lead_days: number }>(
      "SELECT name, restock_lead_days FROM products WHERE name IN ('重名眼霜', '已归档面霜', '干净的行') AND archived_at IS NULL",
    );
    assert.deepEqual(Object.fromEntries(made.map((p) => [p.name, p.restock_lead_days])), {
      干净的行: 3,
      已归档面霜: 14,
      重名眼霜: 7,
    }, "an empty lead time takes the default of 7 days");
    const again = await upload(fixed, false);
    assert.equal(again.status, 400, "importing the same file twice would duplicate the catalogue");
    assert.equal(Object.keys(again.body.error!.fields).length, 3);
  },
);

Deno.test(
  "the catalogue export leaves archived products out, carries the lead time, opens in Excel (BOM) and cannot be re-imported as duplicates",
  opts,
  async () => {
    const gone = await createProduct("导出时已归档");
    await admin.json("DELETE", `/api/admin/products/${gone}`);
    const kept = await createProduct("导出保留品");
    await admin.json("PATCH", `/api/admin/products/${kept}`, { json: { restockLeadDays: 21 } });
    const res = await admin.request("GET", "/admin/products.csv");
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "starts with a UTF-8 BOM");
    const rows = parseCsv(new TextDecoder().decode(bytes));
    assert.deepEqual(rows[0].cells, [...HEADER.split(","), "reserved"]);
    const names = rows.slice(1).map((r) => r.cells[0]);
    assert.ok(!names.includes("导出时已归档"), "archived products are not exported");
    const keptRow = rows.find((r) => r.cells[0] === "导出保留品")!;
    assert.equal(keptRow.cells[9], "21");
    const [{ n: live }] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM products WHERE archived_at IS NULL",
    );
    assert.equal(rows.length - 1, live);
    const reimport = await upload(bytes as Uint8Array<ArrayBuffer>, true);
    assert.equal(reimport.status, 400);
    const reasons = Object.values(reimport.body.error!.fields);
    assert.equal(reasons.length, live, "every exported row is refused");
    assert.ok(reasons.every((r) => /^name: Already in the catalogue as product \d+$/.test(r)));
  },
);

/** Uploads a file through the catalogue page's form (multipart, with the page's CSRF token). */
async function pageUpload(text: string, dryRun: boolean, client = admin) {
  if (!client.cookies.has("csrf")) await (await client.request("GET", "/admin/products")).body?.cancel();
  const form = new FormData();
  form.set("_csrf", client.cookies.get("csrf")!);
  form.set("file", new File([text], "products.csv", { type: "text/csv" }));
  if (dryRun) form.set("dryRun", "true");
  const res = await client.request("POST", "/admin/products/import", { body: form });
  return { status: res.status, html: await res.text() };
}

const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

Deno.test(
  "the import page lists every bad row as a table in the manager's language; a clean check imports in one click, once",
  opts,
  async () => {
    const bad = await pageUpload(
      [HEADER, "页面坏行,x,beauty,,abc,5.00,-1,1,true,", row("页面重名"), row("页面重名")].join("\n"),
      true,
    );
    assert.equal(bad.status, 400);
    assert.match(bad.html, /data-testid="import-errors"/);
    assert.match(bad.html, /2 行有问题，未导入任何商品/);
    assert.match(bad.html, /<tr><td>2<\/td><td><code>price<\/code><\/td><td>请输入金额，如 129.00<\/td><\/tr>/);
    assert.match(bad.html, /<tr><td>2<\/td><td><code>stock<\/code><\/td><td>请输入不小于 0 的整数<\/td><\/tr>/);
    assert.match(bad.html, /<tr><td>4<\/td><td><code>name<\/code><\/td><td>与本文件第 3 行的商品重名<\/td><\/tr>/);
    assert.doesNotMatch(bad.html, /name="token"/, "no import button for a refused file");

    const before = await productCount();
    const audits = async () =>
      (await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'product.import'"))[0]
        .n;
    const importsBefore = await audits();
    const clean = [HEADER, row("一键导入甲", "5"), row("一键导入乙")].join("\n");
    const checked = await pageUpload(clean, true);
    assert.equal(checked.status, 200);
    assert.match(checked.html, /检查通过：2 行都可以导入/);
    const token = tokenOf(checked.html)!;
    assert.ok(token, "a clean check offers the import button");
    assert.equal(await productCount(), before, "a check imports nothing");
    const [draft] = await app.db.query<{ token_hash: string; rows: number }>(
      "SELECT token_hash, rows FROM product_import_drafts",
    );
    assert.equal(draft.rows, 2);
    assert.notEqual(draft.token_hash, token, "only the token's hash is stored");

    // Another manager cannot use this manager's token.
    const other = app.client();
    const user = await other.register("manager2@example.com", "Manager Two");
    await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } });
    await admin.json("POST", `/api/admin/users/${user.id}/staff-role`, { json: { staffRole: "operations" } });
    const stolen = await other.form("/admin/products/import/commit", { token }, "/admin/products");
    assert.equal(stolen.status, 409);
    assert.match(await stolen.text(), /检查结果已过期或已导入/);

    const done = await admin.form("/admin/products/import/commit", { token });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /<p class="alert" role="status">已导入 2 个商品。<\/p>/);
    assert.equal(await productCount(), before + 2);
    assert.equal(await audits(), importsBefore + 1);
    const [lead] = await app.db.query<{ restock_lead_days: number }>(
      "SELECT restock_lead_days FROM products WHERE name = '一键导入甲'",
    );
    assert.equal(lead.restock_lead_days, 5);
    const twice = await admin.form("/admin/products/import/commit", { token });
    assert.equal(twice.status, 409, "a token imports once");
    await twice.body?.cancel();
    assert.equal(await productCount(), before + 2);

    // The file is checked again at import time; an expired check must be uploaded again.
    const later = await pageUpload([HEADER, row("稍后导入丙")].join("\n"), true);
    const laterToken = tokenOf(later.html)!;
    await createProduct("稍后导入丙");
    const stale = await admin.form("/admin/products/import/commit", { token: laterToken });
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /目录中已有同名商品（ID \d+）/);
    const expiring = await pageUpload([HEADER, row("过期导入丁")].join("\n"), true);
    await app.db.query("UPDATE product_import_drafts SET expires_at = now() - interval '1 second'");
    const expired = await admin.form("/admin/products/import/commit", { token: tokenOf(expiring.html)! });
    assert.equal(expired.status, 409);
    await expired.body?.cancel();
    assert.equal(
      (await app.db.query("SELECT 1 FROM products WHERE name = '过期导入丁'")).length,
      0,
      "nothing imported from an expired check",
    );
  },
);

Deno.test(
  "a file of 10,000 bad rows: the API names every one, the page lists the first 200 and says how many more",
  opts,
  async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 10_000; i++) lines.push(`坏${i},x,beauty,,abc,5.00,1,1,true,`);
    const text = lines.join("\n");
    const api = await upload(text, true);
    assert.equal(api.status, 400);
    assert.equal(Object.keys(api.body.error!.fields).length, 10_000);
    assert.match(api.body.error!.fields["line 10001"], /^price: /);
    const page = await pageUpload(text, true);
    assert.equal(page.status, 400);
    assert.equal(page.html.match(/<tr><td>\d+<\/td><td><code>/g)?.length, 200);
    assert.match(page.html, /另有 9800 个问题未列出（共 10000 行有问题）/);
    const malformed = await admin.request("POST", "/admin/products/import", {
      body: "--other\r\nbroken",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    assert.equal(malformed.status, 400, "a malformed upload is a clear 400");
    assert.match(await malformed.text(), /无法读取上传的内容/);
  },
);

Deno.test(
  "review13: the category is one of the shop's, by the API (create and PATCH) and the import; 400 naming the listed ones",
  opts,
  async () => {
    const categories = async () => (await app.db.query("SELECT 1 FROM categories")).length;
    const before = await categories();
    type Refusal = { error: { code: string; fields: Record<string, string> } };
    const created = await admin.json<Refusal>("POST", "/api/admin/products", {
      json: {
        name: "无类商品",
        category: "nonexistent",
        price: "10.00",
        costPrice: "5.00",
        stock: 1,
        lowStockThreshold: 0,
      },
    });
    assert.equal(created.status, 400);
    assert.match(created.body.error.fields.category, /beauty, food, baby, home/);
    const id = await createProduct(`有类商品 ${crypto.randomUUID().slice(0, 6)}`);
    const patched = await admin.json<Refusal>("PATCH", `/api/admin/products/${id}`, { json: { category: "bogus2" } });
    assert.equal(patched.status, 400);
    assert.match(patched.body.error.fields.category, /beauty/);
    // A listed one by its slug, Chinese or English name is fine.
    for (const category of ["food", "食品生鲜", "Food & Fresh"]) {
      assert.equal((await admin.json("PATCH", `/api/admin/products/${id}`, { json: { category } })).status, 200);
    }
    const file = [HEADER, row("分类好的"), `分类坏的,x,bogus3,,19.90,5.00,10,2,true,`].join("\n") + "\n";
    const imported = await upload(file, true);
    assert.equal(imported.status, 400);
    assert.match(imported.body.error!.fields["line 3"], /category.*beauty/);
    assert.equal(imported.body.error!.fields["line 2"], undefined);
    assert.equal(await categories(), before, "no category was made");
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
