import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { toXlsx } from "../lib/xlsx.ts";

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
  assert.match(await template.text(), /^name,nameEn,category/);
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
  const ok = await upload(toXlsx(rows) as Uint8Array<ArrayBuffer>, false);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const found = await app.db.query<{ name: string; on_sale: boolean }>(
    "SELECT name, on_sale FROM products WHERE name LIKE '表格商品%' ORDER BY name",
  );
  assert.deepEqual(found.map((p) => [p.name, p.on_sale]), [["表格商品一", true], ["表格商品二", false]]);
  const bad = await upload(
    toXlsx([rows[0], ["", "x", "beauty", "", "abc", "1", "1", "1", "true"]]) as Uint8Array<ArrayBuffer>,
    true,
  );
  assert.equal(bad.status, 400);
  assert.ok(bad.body.error!.fields["line 2"]);
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
