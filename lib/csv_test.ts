import assert from "node:assert/strict";
import { CSV_BOM, toCsv } from "./csv.ts";
import { parseCsv } from "../domain/import/csv.ts";

Deno.test("toCsv() starts with a UTF-8 byte order mark so Excel opens Chinese text correctly", () => {
  const csv = toCsv([["商品", "价格"], ["面霜, 50ml", "129.00"]]);
  assert.ok(csv.startsWith(CSV_BOM));
  assert.deepEqual([...new TextEncoder().encode(csv).slice(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(csv, '\uFEFF商品,价格\n"面霜, 50ml",129.00\n');
});

Deno.test("toCsv() output reads back through the importer's parser (the mark is skipped)", () => {
  const rows = [["name", "note"], ["=SUM(A1)", 'say "hi"'], ["-12.5", "多行\n文本"]];
  assert.deepEqual(parseCsv(toCsv(rows)).map((r) => r.cells), [
    ["name", "note"],
    ["'=SUM(A1)", 'say "hi"'],
    ["-12.5", "多行\n文本"],
  ]);
});
