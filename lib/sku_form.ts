import { SKU_LIMITS, type SkuAxis, specsKey } from "../domain/catalogue/skus.ts";
import { type MessageKey, type Msg, msg } from "../i18n/messages.ts";

/** One row of the SKU editor's table as posted. */
export interface SkuFormRow {
  id?: string;
  code?: string;
  specs: Record<string, string>;
  price: string;
  costPrice: string;
  stock: number;
  lowStockThreshold: number;
  imageUrl?: string | null;
}

/** "颜色: 红, 蓝" lines (ASCII or full-width colon and commas) into axes; empty text is no axes. */
export function parseAxesText(text: string): { axes: SkuAxis[] } | { error: Msg } {
  const axes: SkuAxis[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const match = /^([^:：]+)[:：](.*)$/.exec(line);
    const values = match ? match[2].split(/[,，、]/).map((v) => v.trim()).filter(Boolean) : [];
    if (!match || !match[1].trim() || values.length === 0) return { error: msg("sku.err.axisLine", { line: i + 1 }) };
    axes.push({ name: match[1].trim(), values: [...new Set(values)] });
  }
  if (axes.length > SKU_LIMITS.axes) return { error: msg("sku.err.tooManyAxes", { max: SKU_LIMITS.axes }) };
  return { axes };
}

/** The axes as the editor's text ("颜色: 红, 蓝" per line). */
export function axesText(axes: SkuAxis[]): string {
  return axes.map((a) => `${a.name}: ${a.values.join(", ")}`).join("\n");
}

/** Every combination of the axes' values, in axis order (one empty combination when there are no axes). */
export function combinations(axes: SkuAxis[]): Record<string, string>[] {
  return axes.reduce<Record<string, string>[]>(
    (acc, axis) => acc.flatMap((specs) => axis.values.map((v) => ({ ...specs, [axis.name]: v }))),
    [{}],
  );
}

/**
 * The SKU editor's post as the body of a SKU replace: the axes from their text, one SKU per combination
 * of their values. A combination that was a row keeps that row's figures; a new one starts from the first
 * row's price, cost and threshold with no stock, so changing the axes and saving builds the new table.
 */
export function readSkuForm(
  form: Record<string, string>,
): { skuAxes: SkuAxis[]; skus: SkuFormRow[] } | { error: Msg } {
  const parsed = parseAxesText(form.axes ?? "");
  if ("error" in parsed) return parsed;
  const rows: SkuFormRow[] = [];
  for (let i = 0; i < SKU_LIMITS.skus && form[`row.${i}.specs`] !== undefined; i++) {
    let specs: Record<string, string> = {};
    try {
      const value = JSON.parse(form[`row.${i}.specs`]);
      if (value && typeof value === "object" && !Array.isArray(value)) specs = value;
    } catch {
      return { error: msg("sku.err.rowDamaged", { row: i + 1 }) };
    }
    // A number as typed (so −5 is refused as negative and 1.5 as not whole); empty or not a number is NaN.
    const whole = (v: string | undefined) => ((v ?? "").trim() === "" ? NaN : Number((v ?? "").trim()));
    rows.push({
      id: form[`row.${i}.id`] || undefined,
      code: (form[`row.${i}.code`] ?? "").trim() || undefined,
      specs,
      price: (form[`row.${i}.price`] ?? "").trim(),
      costPrice: (form[`row.${i}.costPrice`] ?? "").trim(),
      stock: whole(form[`row.${i}.stock`]),
      lowStockThreshold: whole(form[`row.${i}.lowStockThreshold`]),
      imageUrl: (form[`row.${i}.imageUrl`] ?? "").trim() || null,
    });
  }
  const combos = combinations(parsed.axes);
  if (combos.length > SKU_LIMITS.skus) return { error: msg("sku.err.tooManySkus", { max: SKU_LIMITS.skus }) };
  const first = rows[0];
  const byKey = new Map(rows.map((r) => [specsKey(r.specs), r]));
  const skus = combos.map((specs) => {
    const row = byKey.get(specsKey(specs)) ?? (combos.length === 1 && rows.length === 1 ? first : undefined);
    if (row) return { ...row, specs };
    return {
      specs,
      price: first?.price ?? "0.00",
      costPrice: first?.costPrice ?? "0.00",
      stock: 0,
      lowStockThreshold: Number.isNaN(first?.lowStockThreshold) ? 0 : first?.lowStockThreshold ?? 0,
    };
  });
  return { skuAxes: parsed.axes, skus };
}

const SKU_FIELD_LABELS: Record<string, MessageKey> = {
  code: "sku.code",
  specs: "sku.specs",
  price: "sku.price",
  costPrice: "sku.costPrice",
  stock: "sku.stock",
  lowStockThreshold: "sku.threshold",
  imageUrl: "sku.imageUrl",
};

/** A SKU replace's field path as the editor's reader knows it: `skus.1.stock` is "第 2 个 SKU 的库存". */
export function skuFieldLabel(path: string): Msg | string {
  const match = /^skus\.(\d+)\.(\w+)$/.exec(path);
  const label = match && SKU_FIELD_LABELS[match[2]];
  return match && label ? msg("sku.fieldOf", { n: Number(match[1]) + 1, field: { key: label } }) : path;
}
