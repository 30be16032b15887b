import { fromShopLocalInput, toShopLocalInput } from "../domain/shop_time.ts";

/** What the edit form shows: stored values or, after a refused save, what the manager typed. */
export interface ProductFormValues {
  name: string;
  nameEn: string;
  description: string;
  category: string;
  brand: string;
  price: string;
  costPrice: string;
  stock: string;
  lowStockThreshold: string;
  /** Days a restock takes to arrive (0–365). */
  restockLeadDays: string;
  onSale: boolean;
  featured: boolean;
  /** datetime-local values in shop time ("2026-11-22T09:30"), or "". */
  onShelfAt: string;
  offShelfAt: string;
  /** One "name: value" per line. */
  specs: string;
}

/** "name: value" lines (ASCII or full-width colon) into specs; a line without a colon is reported. */
export function parseSpecLines(text: string): { specs: Record<string, string> } | { error: string } {
  const specs: Record<string, string> = {};
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const match = /^([^:：]+)[:：](.*)$/.exec(line);
    if (!match || !match[1].trim()) return { error: `Line ${i + 1} needs "name: value"` };
    specs[match[1].trim()] = match[2].trim();
  }
  return { specs };
}

/** The stored product as the edit form's values. */
export function productFormValues(p: {
  name: string;
  nameEn: string;
  description: string;
  category: string;
  brand: string;
  price: string;
  costPrice: string;
  stock: number;
  lowStockThreshold: number;
  restockLeadDays: number;
  onSale: boolean;
  featured: boolean;
  onShelfAt: string | null;
  offShelfAt: string | null;
  specs: Record<string, string>;
}): ProductFormValues {
  return {
    name: p.name,
    nameEn: p.nameEn,
    description: p.description,
    category: p.category,
    brand: p.brand,
    price: p.price,
    costPrice: p.costPrice,
    stock: String(p.stock),
    lowStockThreshold: String(p.lowStockThreshold),
    restockLeadDays: String(p.restockLeadDays),
    onSale: p.onSale,
    featured: p.featured,
    onShelfAt: toShopLocalInput(p.onShelfAt),
    offShelfAt: toShopLocalInput(p.offShelfAt),
    specs: Object.entries(p.specs).map(([k, v]) => `${k}: ${v}`).join("\n"),
  };
}

/** A posted edit form as the values to show again and the input for `productInputSchema` (or errors). */
export function readProductForm(form: Record<string, string>): {
  values: ProductFormValues;
  input: Record<string, unknown>;
  errors: Record<string, string>;
} {
  const field = (k: string) => (form[k] ?? "").trim();
  const values: ProductFormValues = {
    name: field("name"),
    nameEn: field("nameEn"),
    description: field("description"),
    category: field("category"),
    brand: field("brand"),
    price: field("price"),
    costPrice: field("costPrice"),
    stock: field("stock"),
    lowStockThreshold: field("lowStockThreshold"),
    restockLeadDays: field("restockLeadDays"),
    onSale: form.onSale === "on",
    featured: form.featured === "on",
    onShelfAt: field("onShelfAt"),
    offShelfAt: field("offShelfAt"),
    specs: form.specs ?? "",
  };
  const errors: Record<string, string> = {};
  const count = (k: "stock" | "lowStockThreshold") => {
    if (/^\d{1,9}$/.test(values[k])) return Number(values[k]);
    errors[k] = "Enter a whole number, zero or more";
    return 0;
  };
  // Left empty (or not on the form), the lead time stays as it is.
  const leadDays = () => {
    if (values.restockLeadDays === "") return undefined;
    if (/^\d{1,3}$/.test(values.restockLeadDays) && Number(values.restockLeadDays) <= 365) {
      return Number(values.restockLeadDays);
    }
    errors.restockLeadDays = "Enter a whole number of days from 0 to 365";
    return undefined;
  };
  const time = (k: "onShelfAt" | "offShelfAt") => (values[k] === "" ? null : fromShopLocalInput(values[k]));
  const specs = parseSpecLines(values.specs);
  if ("error" in specs) errors.specs = specs.error;
  return {
    values,
    errors,
    input: {
      name: values.name,
      nameEn: values.nameEn,
      description: values.description,
      category: values.category,
      brand: values.brand,
      price: values.price,
      costPrice: values.costPrice,
      stock: count("stock"),
      lowStockThreshold: count("lowStockThreshold"),
      restockLeadDays: leadDays(),
      onSale: values.onSale,
      featured: values.featured,
      onShelfAt: time("onShelfAt"),
      offShelfAt: time("offShelfAt"),
      specs: "specs" in specs ? specs.specs : {},
    },
  };
}
