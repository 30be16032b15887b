import assert from "node:assert/strict";
import { CSV_BOM, CsvError, parseCsv, readCsv, toCsv } from "./csv.ts";
import { AppError } from "./errors.ts";

Deno.test("parseCsv() handles quotes, doubled quotes, CRLF and keeps line numbers", () => {
  const rows = parseCsv('\ufeffname,price\r\n"面霜, 50ml","1""2"\r\n\r\nb,3\n');
  assert.deepEqual(rows, [
    { line: 1, cells: ["name", "price"] },
    { line: 2, cells: ["面霜, 50ml", '1"2'] },
    { line: 4, cells: ["b", "3"] },
  ]);
});

Deno.test("parseCsv() numbers rows by the line they start on, across quoted line breaks and mixed line ends", () => {
  const rows = parseCsv('h1,h2\r\n"two\r\nlines",x\n\nb,3\rc,"x\ny\nz"\n,\nd');
  assert.deepEqual(rows, [
    { line: 1, cells: ["h1", "h2"] },
    { line: 2, cells: ["two\nlines", "x"] },
    { line: 5, cells: ["b", "3"] },
    { line: 6, cells: ["c", "x\ny\nz"] },
    { line: 9, cells: ["", ""] },
    { line: 10, cells: ["d"] },
  ]);
  assert.deepEqual(parseCsv("a,b,c\n1\n"), [{ line: 1, cells: ["a", "b", "c"] }, { line: 2, cells: ["1"] }]);
  assert.deepEqual(parseCsv(""), []);
});

Deno.test("parseCsv() refuses a bad file naming the line it goes wrong on", () => {
  const cases: [string, number, RegExp][] = [
    ['h\n\n\na,"b\nc\n\n', 4, /quoted field is never closed/], // the line the unclosed field's row starts on
    ['h\nok\nab"c,d\n', 3, /quote appears inside a field/],
    ['h\n"ab"c,d\n', 2, /closing quote is followed/],
  ];
  for (const [text, line, reason] of cases) {
    assert.throws(() => parseCsv(text), (err) => {
      assert.ok(err instanceof CsvError);
      assert.equal(err.line, line, text);
      assert.match(err.message, new RegExp(`^line ${line}: `));
      assert.match(err.reason, reason);
      return true;
    });
  }
});

Deno.test("readCsv() turns a bad file into a 400 whose message names the line", () => {
  assert.throws(() => readCsv('name\n"open'), (err) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 400);
    assert.equal(err.message, "This file is not valid CSV: line 2: a quoted field is never closed");
    return true;
  });
});

Deno.test("toCsv() starts with a UTF-8 byte order mark so Excel opens Chinese text correctly", () => {
  const csv = toCsv([["商品", "价格"], ["面霜, 50ml", "129.00"]]);
  assert.ok(csv.startsWith(CSV_BOM));
  assert.deepEqual([...new TextEncoder().encode(csv).slice(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(csv, '\uFEFF商品,价格\n"面霜, 50ml",129.00\n');
});

Deno.test("toCsv() output reads back through the importer's parser (the mark is skipped)", () => {
  const rows = [["name", "note"], ["=SUM(A1)", 'say "hi"'], ["-12.5", "多行\n文本"], ["a\u0007b", "cr\rhere"]];
  assert.deepEqual(parseCsv(toCsv(rows)).map((r) => r.cells), [
    ["name", "note"],
    ["'=SUM(A1)", 'say "hi"'],
    ["-12.5", "多行\n文本"],
    ["ab", "cr\nhere"],
  ]);
});
