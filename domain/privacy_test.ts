import assert from "node:assert/strict";
import { maskName, visibleName } from "./privacy.ts";

Deno.test("maskName() keeps the first character and hides the rest behind two stars", () => {
  assert.equal(maskName("王小明"), "王**");
  assert.equal(maskName("王伟"), "王**");
  assert.equal(maskName("欧阳娜娜"), "欧**");
  assert.equal(maskName("Alice Smith"), "A**");
  assert.equal(maskName("  李雷 "), "李**", "surrounding spaces are ignored");
});

Deno.test("maskName() never shows a one-character name, and counts emoji as one character", () => {
  assert.equal(maskName("王"), "***");
  assert.equal(maskName(""), "***");
  assert.equal(maskName("   "), "***");
  assert.equal(maskName("👨‍👩‍👧小家"), "👨‍👩‍👧**", "a ZWJ sequence is not split");
  assert.equal(maskName("👍"), "***");
});

Deno.test("maskName() does not reveal the length of the name", () => {
  assert.equal(maskName("张三").length, maskName("张三丰丰丰丰").length);
});

Deno.test("visibleName() shows tier 1 in full and masks tiers 2 and 3", () => {
  assert.equal(visibleName("王小明", 1), "王小明");
  assert.equal(visibleName("王小明", 2), "王**");
  assert.equal(visibleName("王小明", 3), "王**");
  assert.equal(visibleName("王", 1), "王");
});
