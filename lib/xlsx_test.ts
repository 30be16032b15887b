import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { readXlsx, toXlsx, unzipWithinBudget, XLSX_MAX_ENTRIES, XLSX_MAX_UNPACKED } from "./xlsx.ts";
import { AppError } from "./errors.ts";

/** Asserts that `run` is refused with a 400 whose message matches. */
async function refused(run: () => Promise<unknown>, message: RegExp) {
  await assert.rejects(run, (err) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, 400);
    assert.match(err.message, message);
    return true;
  });
}

/** A copy of a zip whose entries say (in both their headers) that they unpack to `declared` bytes. */
function lyingCopy(original: Uint8Array, declared: number): Uint8Array {
  const zip = original.slice();
  const view = new DataView(zip.buffer);
  for (let i = 0; i + 4 <= zip.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, declared, true); // local header: uncompressed size
    if (sig === 0x02014b50) view.setUint32(i + 24, declared, true); // central directory: uncompressed size
  }
  return zip;
}

Deno.test("toXlsx() and readXlsx() round-trip text, including Chinese, markup characters and empty cells", async () => {
  const rows = [["name", "price", "note"], ["保湿面霜", "129.00", '<b>&"x"</b>\u0007'], ["", "1", ""], ["多行\n文本"]];
  const bytes = await toXlsx(rows, "商品: [导出]/2025");
  assert.deepEqual([...bytes.slice(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
  const back = await readXlsx(bytes);
  assert.deepEqual(back.map((r) => r.line), [1, 2, 3, 4]);
  assert.deepEqual(back[0].cells, ["name", "price", "note"]);
  assert.deepEqual(back[1].cells, ["保湿面霜", "129.00", '<b>&"x"</b>'], "control characters are dropped");
  assert.deepEqual(back[2].cells.slice(0, 2), ["", "1"], "numbers written as text stay text");
  assert.deepEqual(back[3].cells, ["多行\n文本"]);
});

Deno.test("readXlsx() reads typed cells as the text a person sees and keeps the sheet's row numbers", async () => {
  const ExcelJS = (await import("exceljs")).default;
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Data");
  sheet.getCell("A1").value = "name";
  sheet.getCell("B1").value = "stock";
  sheet.getCell("A3").value = { richText: [{ text: "富" }, { text: "文本" }] };
  sheet.getCell("B3").value = 42;
  sheet.getCell("C3").value = true;
  sheet.getCell("D3").value = { formula: "B3*2", result: 84 };
  sheet.getCell("E3").value = new Date(Date.UTC(2025, 0, 31));
  sheet.getCell("F3").value = { text: "link", hyperlink: "https://example.com" };
  const back = await readXlsx(new Uint8Array(await book.xlsx.writeBuffer() as ArrayBuffer));
  assert.deepEqual(back, [
    { line: 1, cells: ["name", "stock"] },
    { line: 3, cells: ["富文本", "42", "true", "84", "2025-01-31", "link"] },
  ]);
});

Deno.test("readXlsx() refuses what is not a workbook with a 400", async () => {
  await refused(() => readXlsx(new Uint8Array([1, 2, 3])), /^This file is not a readable XLSX workbook$/);
  await refused(() => readXlsx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])), /not a readable XLSX/);
  await refused(() => readXlsx(zipSync({ "hello.txt": new TextEncoder().encode("hi") })), /XLSX|sheet/);
});

Deno.test("a zip bomb is refused before exceljs reads it, whether its directory tells the truth or lies", async () => {
  // Honest: the directory declares 40 MB; nothing is inflated.
  const honest = zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(XLSX_MAX_UNPACKED + 8 * 1024 * 1024) }, {
    level: 1,
  });
  assert.ok(honest.length < 100_000);
  await refused(() => readXlsx(honest), /^The workbook unpacks to more than 32 MB$/);
  // Lying: 40 MB declared as 100 bytes; inflating stops once the count passes the budget.
  const liar = lyingCopy(honest, 100);
  const started = performance.now();
  assert.throws(() => unzipWithinBudget(liar), /unpacks to more than 32 MB/);
  assert.ok(performance.now() - started < 5_000);
  await refused(() => readXlsx(liar), /unpacks to more than/);
  // Many tiny entries.
  const many: Record<string, Uint8Array> = {};
  for (let i = 0; i <= XLSX_MAX_ENTRIES; i++) many[`xl/e${i}.xml`] = new Uint8Array(1);
  await refused(() => readXlsx(zipSync(many)), /unpacks to more than/);
  // Within budget, every entry comes out whole.
  const fine = unzipWithinBudget(zipSync({ "a.xml": new Uint8Array(1_000_000).fill(65), "b.xml": new Uint8Array(3) }));
  assert.equal(fine["a.xml"].length, 1_000_000);
  assert.equal(fine["b.xml"].length, 3);
});
