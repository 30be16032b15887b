import assert from "node:assert/strict";
import { CsvError, parseCsv } from "./csv.ts";

Deno.test("parseCsv() handles quotes, doubled quotes, CRLF and keeps line numbers", () => {
  const rows = parseCsv('\ufeffname,price\r\n"面霜, 50ml","1""2"\r\n\r\nb,3\n');
  assert.deepEqual(rows, [
    { line: 1, cells: ["name", "price"] },
    { line: 2, cells: ["面霜, 50ml", '1"2'] },
    { line: 4, cells: ["b", "3"] },
  ]);
  assert.throws(() => parseCsv('a,"b\nc'), CsvError);
});
