import assert from "node:assert/strict";
import { parseSpecLines, productFormValues, readProductForm } from "./product_form.ts";
import { toShopLocalInput } from "../domain/shop_time.ts";
import { productInputSchema } from "../services/catalogue_admin.ts";

Deno.test("specs: one 'name: value' per line, ASCII or full-width colon; a bare line is reported", () => {
  assert.deepEqual(parseSpecLines("颜色：红色\n\n 容量: 500 ml \r\n"), { specs: { 颜色: "红色", 容量: "500 ml" } });
  assert.deepEqual(parseSpecLines("颜色 红色"), { error: 'Line 1 needs "name: value"' });
  assert.deepEqual(parseSpecLines(""), { specs: {} });
});

Deno.test("shelf times show and read back in shop time (UTC+8)", () => {
  assert.equal(toShopLocalInput("2026-11-22T01:30:00.000Z"), "2026-11-22T09:30");
  assert.equal(toShopLocalInput(null), "");
  const { input, errors } = readProductForm({
    name: " 绿茶 ",
    category: "茶饮",
    price: "12.50",
    costPrice: "6.00",
    stock: "40",
    lowStockThreshold: "5",
    onShelfAt: "2026-11-22T09:30",
    offShelfAt: "",
    onSale: "on",
    specs: "产地: 杭州",
  });
  assert.deepEqual(errors, {});
  const parsed = productInputSchema.parse(input);
  assert.equal(parsed.name, "绿茶");
  assert.equal(parsed.onShelfAt, "2026-11-22T09:30:00+08:00");
  assert.equal(parsed.offShelfAt, null);
  assert.equal(parsed.onSale, true);
  assert.equal(parsed.featured, false, "an unticked box is false");
  assert.deepEqual(parsed.specs, { 产地: "杭州" });
});

Deno.test("the stored product round-trips through the form unchanged", () => {
  const stored = {
    name: "绿茶",
    nameEn: "Green tea",
    description: "明前",
    category: "茶饮",
    brand: "西湖",
    price: "12.50",
    costPrice: "6.00",
    stock: 40,
    lowStockThreshold: 5,
    restockLeadDays: 12,
    onSale: false,
    featured: true,
    onShelfAt: "2026-11-22T01:30:00.000Z",
    offShelfAt: null,
    specs: { 产地: "杭州", 净含量: "250 g" },
  };
  const values = productFormValues(stored);
  assert.equal(values.restockLeadDays, "12");
  const form = Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== false).map(([k, v]) => [k, v === true ? "on" : String(v)]),
  );
  const parsed = productInputSchema.parse(readProductForm(form).input);
  assert.deepEqual(parsed, {
    ...stored,
    onShelfAt: "2026-11-22T09:30:00+08:00",
  });
  const bad = productInputSchema.safeParse(readProductForm({ ...form, stock: "-3", price: "abc" }).input);
  assert.ok(!bad.success);
});

Deno.test("restock lead time: whole days 0–365; left empty it is not changed; anything else is reported", () => {
  const base = {
    name: "绿茶",
    category: "茶饮",
    price: "12.50",
    costPrice: "6.00",
    stock: "40",
    lowStockThreshold: "5",
  };
  for (const [typed, days] of [["0", 0], [" 30 ", 30], ["365", 365]] as const) {
    const { input, errors } = readProductForm({ ...base, restockLeadDays: typed });
    assert.deepEqual(errors, {});
    assert.equal(productInputSchema.parse(input).restockLeadDays, days);
  }
  const empty = readProductForm({ ...base, restockLeadDays: "" });
  assert.deepEqual(empty.errors, {});
  assert.equal(productInputSchema.parse(empty.input).restockLeadDays, undefined, "unchanged");
  for (const typed of ["366", "-1", "7.5", "abc", "1000"]) {
    const { values, errors } = readProductForm({ ...base, restockLeadDays: typed });
    assert.equal(errors.restockLeadDays, "Enter a whole number of days from 0 to 365", typed);
    assert.equal(values.restockLeadDays, typed, "what was typed is shown again");
  }
  assert.ok(!productInputSchema.safeParse({ ...readProductForm(base).input, restockLeadDays: 366 }).success);
});
