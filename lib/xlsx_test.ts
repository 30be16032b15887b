import assert from "node:assert/strict";
import { readXlsx, toXlsx } from "./xlsx.ts";

Deno.test("toXlsx() and readXlsx() round-trip text, including Chinese, markup characters and empty cells", () => {
  const rows = [["name", "price", "note"], ["保湿面霜", "129.00", '<b>&"x"</b>'], ["", "1", ""]];
  const back = readXlsx(toXlsx(rows));
  assert.deepEqual(back.map((r) => r.line), [1, 2, 3]);
  assert.deepEqual(back[1].cells, ["保湿面霜", "129.00", '<b>&"x"</b>']);
  assert.deepEqual(back[2].cells.slice(0, 2), ["", "1"]);
  assert.throws(() => readXlsx(new Uint8Array([1, 2, 3])), /not an XLSX/);
});
