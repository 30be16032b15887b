/** A specification axis (颜色, 尺码 …) and its values in display order. */
export interface SkuAxis {
  name: string;
  values: string[];
}

/** What a SKU set is checked on: its specs, and its code when given. */
export interface SkuSpecInput {
  code?: string;
  specs: Record<string, string>;
}

/** Most axes of a product, values of an axis, and SKUs of a product. */
export const SKU_LIMITS = { axes: 3, values: 30, skus: 200 };

/**
 * Checks the SKUs of one product against its axes and returns the axes to store: the given ones, or
 * the axes read off the SKUs' specs (names in the first SKU's order, values in order of appearance).
 * Every SKU must give exactly one listed value for every axis, no two SKUs may share specs or a code,
 * and a product without axes has exactly one SKU with `specs: {}`. Problems are keyed by input path
 * (`skus.2.specs`), as the API's `fields`.
 */
/** Why a set of SKUs does not fit together (the catalogue words each as `sku.err.<reason>`). */
export type SkuReason =
  | "tooManyAxes"
  | "axisTwice"
  | "axisEmpty"
  | "tooManyValues"
  | "valueTwice"
  | "noSkus"
  | "tooManySkus"
  | "needAxes"
  | "notAxis"
  | "missingValue"
  | "notValue"
  | "sameSpecs"
  | "sameCode";

/** One problem of a SKU set: its reason and the values its wording uses. */
export interface SkuProblem {
  reason: SkuReason;
  params: Record<string, string | number>;
}

export function checkSkuSet(
  axes: SkuAxis[] | undefined,
  skus: SkuSpecInput[],
  /** The axes stored before: when axes are read off the specs, their names and values keep this order. */
  previous: SkuAxis[] = [],
): { axes: SkuAxis[]; problems: Record<string, SkuProblem> } {
  const problems: Record<string, SkuProblem> = {};
  const p = (reason: SkuReason, params: Record<string, string | number> = {}): SkuProblem => ({ reason, params });
  const firstKeys = Object.keys(skus[0]?.specs ?? {});
  const rank = (name: string) => {
    const i = previous.findIndex((a) => a.name === name);
    return i === -1 ? previous.length + firstKeys.indexOf(name) : i;
  };
  const derived: SkuAxis[] = axes
    ? axes.map((a) => ({ name: a.name, values: [...a.values] }))
    : [...firstKeys].sort((a, b) => rank(a) - rank(b)).map((name) => ({
      name,
      values: (previous.find((a) => a.name === name)?.values ?? []).filter((v) =>
        skus.some((s) => s.specs[name] === v)
      ),
    }));
  if (!axes) {
    for (const sku of skus) {
      for (const axis of derived) {
        const value = sku.specs[axis.name];
        if (value !== undefined && !axis.values.includes(value)) axis.values.push(value);
      }
    }
  }
  if (derived.length > SKU_LIMITS.axes) problems.skuAxes = p("tooManyAxes", { max: SKU_LIMITS.axes });
  const names = new Set<string>();
  derived.forEach((axis, i) => {
    if (names.has(axis.name)) problems[`skuAxes.${i}.name`] = p("axisTwice", { name: axis.name });
    names.add(axis.name);
    if (axis.values.length === 0) problems[`skuAxes.${i}.values`] = p("axisEmpty");
    if (axis.values.length > SKU_LIMITS.values) {
      problems[`skuAxes.${i}.values`] = p("tooManyValues", { max: SKU_LIMITS.values });
    }
    if (new Set(axis.values).size !== axis.values.length) problems[`skuAxes.${i}.values`] = p("valueTwice");
  });
  if (skus.length === 0) problems.skus = p("noSkus");
  if (skus.length > SKU_LIMITS.skus) problems.skus = p("tooManySkus", { max: SKU_LIMITS.skus });
  if (derived.length === 0 && skus.length > 1) {
    problems.skus = p("needAxes");
  }
  const combos = new Map<string, number>();
  const codes = new Map<string, number>();
  skus.forEach((sku, i) => {
    const keys = Object.keys(sku.specs);
    const extra = keys.filter((k) => !names.has(k));
    const missing = derived.filter((a) => sku.specs[a.name] === undefined).map((a) => a.name);
    if (extra.length) problems[`skus.${i}.specs`] = p("notAxis", { names: extra.join(", ") });
    else if (missing.length) problems[`skus.${i}.specs`] = p("missingValue", { names: missing.join(", ") });
    else {
      const bad = derived.find((a) => !a.values.includes(sku.specs[a.name]));
      if (bad) problems[`skus.${i}.specs`] = p("notValue", { value: sku.specs[bad.name], name: bad.name });
    }
    const combo = specsKey(sku.specs);
    const first = combos.get(combo);
    if (first !== undefined && !problems[`skus.${i}.specs`]) {
      problems[`skus.${i}.specs`] = p("sameSpecs", { n: first + 1 });
    } else combos.set(combo, i);
    if (sku.code) {
      const taken = codes.get(sku.code.toLowerCase());
      if (taken !== undefined) problems[`skus.${i}.code`] = p("sameCode", { n: taken + 1 });
      else codes.set(sku.code.toLowerCase(), i);
    }
  });
  return { axes: derived, problems };
}

/** A canonical key of specs (axis order does not matter). */
export function specsKey(specs: Record<string, string>): string {
  return JSON.stringify(Object.entries(specs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The specs in the product's axis order (颜色 before 尺码 as the picker shows them; specs stored as jsonb
 * come back with their keys sorted), axes the product no longer has after them. A new object.
 */
export function inAxisOrder(
  specs: Record<string, string> | null | undefined,
  axes: { name: string }[] | null | undefined,
): Record<string, string> {
  const all = specs ?? {};
  const names = (axes ?? []).map((a) => a.name).filter((n) => n in all);
  const rest = Object.keys(all).filter((n) => !names.includes(n));
  return Object.fromEntries([...names, ...rest].map((n) => [n, all[n]]));
}

/**
 * A SKU's specs with their axis names ("颜色：黑色；尺码：L"), in the order given (see `inAxisOrder`): the one
 * way order lines, after-sales requests and exports name a SKU. "" for a product's only SKU.
 */
export function specsText(specs: Record<string, string>): string {
  return Object.entries(specs).map(([axis, value]) => `${axis}：${value}`).join("；");
}

/** An order line as text: "便携羽绒服（颜色：黑色；尺码：L）×2" (the name alone when it has no specs). */
export function lineText(line: { name: string; specs: Record<string, string>; quantity: number }): string {
  const specs = specsText(line.specs);
  return specs ? `${line.name}（${specs}）×${line.quantity}` : `${line.name} ×${line.quantity}`;
}

/** Several order lines as one text, "; " between them (an after-sales request's lines, the orders export). */
export function linesText(lines: { name: string; specs: Record<string, string>; quantity: number }[]): string {
  return lines.map(lineText).join("; ");
}

/** The specs of a SKU as one short label in axis order ("红色 / M"), or "" for a product's only SKU. */
export function specsLabel(specs: Record<string, string>, axes: SkuAxis[] = []): string {
  const ordered = axes.length
    ? axes.map((a) => specs[a.name]).filter((v): v is string => v !== undefined)
    : Object.values(specs);
  return ordered.join(" / ");
}

/**
 * What a shopper may still pick on each axis given the values chosen so far: a value is available when
 * some SKU with stock has it together with every other chosen value. Pure, for the SKU picker.
 */
export function availableValues(
  axes: SkuAxis[],
  skus: { specs: Record<string, string>; stock: number }[],
  chosen: Record<string, string>,
): Record<string, Set<string>> {
  const out: Record<string, Set<string>> = {};
  for (const axis of axes) {
    out[axis.name] = new Set(
      skus.filter((s) =>
        s.stock > 0 && axes.every((a) => a.name === axis.name || !chosen[a.name] || s.specs[a.name] === chosen[a.name])
      ).map((s) => s.specs[axis.name]),
    );
  }
  return out;
}

/** The SKU whose specs are exactly the chosen values, if every axis is chosen. */
export function skuOfChoice<T extends { specs: Record<string, string> }>(
  axes: SkuAxis[],
  skus: T[],
  chosen: Record<string, string>,
): T | undefined {
  if (axes.some((a) => !chosen[a.name])) return undefined;
  return skus.find((s) => axes.every((a) => s.specs[a.name] === chosen[a.name]));
}
