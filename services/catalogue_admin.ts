import { z } from "zod";
import type { Db } from "../db/db.ts";
import { findProduct, type SkuRow, SKUS_JSON } from "../db/products_repo.ts";
import { moveStockMany } from "../db/stock_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { fail, type FieldMessages } from "../lib/errors.ts";
import { encodeMsg, type Msg, msg, says } from "../i18n/messages.ts";
import { toProductView } from "./catalogue.ts";
import { stockLevelEvent } from "./order_events.ts";
import { text } from "../lib/text.ts";
import { checkSkuSet, SKU_LIMITS, type SkuAxis, type SkuProblem, specsKey } from "../domain/catalogue/skus.ts";
import { mergeMoves } from "./order_events.ts";
import { catalogueChanged } from "./catalogue_events.ts";
import { isSameSitePath } from "../domain/catalogue/home.ts";

const moneyString = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, says("validation.decimal"));

/** The most a product or SKU may cost per unit (list price or cost price). */
export const MAX_UNIT_PRICE = "1000000.00";

/**
 * The one money input of the catalogue (product and SKU prices and costs, API and console forms): a
 * decimal string with at most 2 places, at most `MAX_UNIT_PRICE`; a price must be above zero, a cost may be 0.
 */
export function unitMoney(kind: "price" | "cost") {
  return moneyString.refine(
    (v) => Number(v) <= Number(MAX_UNIT_PRICE) && (kind === "cost" || Number(v) > 0),
    says(kind === "price" ? "validation.unitPrice" : "validation.unitCost", { max: MAX_UNIT_PRICE }),
  );
}
const unitPrice = unitMoney("price");
const unitCost = unitMoney("cost");

const LEAD_DAYS_MESSAGE = says("cat.err.leadDays");

/** Restock lead time of a product created without one (the column default of migration 0006). */
export const DEFAULT_RESTOCK_LEAD_DAYS = 7;

/** The body of `POST /api/admin/products`. */
export const productInputSchema = z.object({
  name: text().trim().min(1, says("cat.err.nameRequired")).max(120),
  nameEn: text().trim().max(120).optional(),
  description: text({ multiline: true }).trim().max(5000).optional(),
  category: text().trim().min(1, says("cat.err.categoryRequired")).max(60),
  brand: text().trim().max(60).optional(),
  price: unitPrice,
  costPrice: unitCost,
  stock: z.number().int().min(0).max(10_000_000),
  lowStockThreshold: z.number().int().min(0).max(1_000_000),
  /** Days a restock takes to arrive; drives the restock forecast (7 when not given). */
  restockLeadDays: z.number().int().min(0, LEAD_DAYS_MESSAGE).max(365, LEAD_DAYS_MESSAGE).optional(),
  onSale: z.boolean().optional(),
  featured: z.boolean().optional(),
  onShelfAt: z.iso.datetime({ offset: true }).nullable().optional(),
  offShelfAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Specification name → value, shown on the product page ("颜色" → "红色"). */
  specs: z.record(text().trim().min(1, says("cat.err.specName")).max(40), text().trim().max(200))
    .refine((v) => Object.keys(v).length <= 30, says("cat.err.specsMax"))
    .optional(),
});

const idString = z.string().regex(/^\d{1,18}$/, says("validation.id"));

/** One SKU of `POST /api/admin/products` and `PUT /api/admin/products/:id/skus`. */
export const skuInputSchema = z.object({
  /** An existing SKU to keep (its orders and history stay with it); else matched by specs, else new. */
  id: idString.optional(),
  code: text().trim().min(1, says("sku.err.codeRequired")).max(64).regex(/^[^\s]+$/, says("sku.err.codeSpaces"))
    .optional(),
  specs: z.record(text().trim().min(1, says("sku.err.axisName")).max(40), text().trim().min(1).max(60))
    .default({}),
  price: unitPrice,
  costPrice: unitCost,
  stock: z.number().int().min(0).max(10_000_000),
  lowStockThreshold: z.number().int().min(0).max(1_000_000),
  /** A picture for this SKU: a path on this site (`isSameSitePath`, as the shop's own image paths are). */
  imageUrl: z.string().trim().max(500).refine(isSameSitePath, says("sku.err.imagePath")).nullable().optional(),
});

/** Specification axes in display order. */
export const skuAxesSchema = z.array(z.object({
  name: text().trim().min(1, says("sku.err.axisName")).max(40),
  values: z.array(text().trim().min(1).max(60)).min(1, says("sku.err.axisEmpty")).max(SKU_LIMITS.values),
})).max(SKU_LIMITS.axes, says("sku.err.tooManyAxes", { max: SKU_LIMITS.axes }));

/** The body of `PUT /api/admin/products/:id/skus`: the product's axes (else read off the specs) and all its SKUs. */
export const skuReplaceSchema = z.object({
  skuAxes: skuAxesSchema.optional(),
  skus: z.array(skuInputSchema).min(1, says("sku.err.noSkus")).max(SKU_LIMITS.skus),
}).superRefine((v, ctx) => {
  const { problems } = checkSkuSet(v.skuAxes, v.skus);
  for (const [path, p] of Object.entries(problems)) {
    const message = encodeMsg({ key: `sku.err.${p.reason}`, params: p.params });
    ctx.addIssue({ code: "custom", path: path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)), message });
  }
});

const SINGLE_SKU_FIELDS = ["price", "costPrice", "stock", "lowStockThreshold"] as const;

/**
 * The body of `POST /api/admin/products`: the product with either the single-SKU fields (price, costPrice,
 * stock, lowStockThreshold) or `skus` (and optionally `skuAxes`).
 */
export const productCreateSchema = productInputSchema.extend({
  price: unitPrice.optional(),
  costPrice: unitCost.optional(),
  stock: z.number().int().min(0).max(10_000_000).optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
  skuAxes: skuAxesSchema.optional(),
  skus: z.array(skuInputSchema).min(1, says("sku.err.noSkus")).max(SKU_LIMITS.skus).optional(),
}).superRefine((v, ctx) => {
  if (v.skus) {
    const { problems } = checkSkuSet(v.skuAxes, v.skus);
    for (const [path, p] of Object.entries(problems)) {
      const message = encodeMsg({ key: `sku.err.${p.reason}`, params: p.params });
      ctx.addIssue({ code: "custom", path: path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)), message });
    }
    return;
  }
  for (const field of SINGLE_SKU_FIELDS) {
    if (v[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "Required (or give skus)" });
  }
});

/** The body of `PATCH /api/admin/products/:id`: any of the fields. */
export const productPatchSchema = productInputSchema.partial().refine((v) => Object.keys(v).length > 0, {
  message: says("cat.err.sendField"),
});

const FIND_CATEGORY =
  "SELECT id FROM categories WHERE slug = lower($1) OR name_zh = $1 OR lower(name_en) = lower($1) LIMIT 1";

/**
 * Whether a category is one of the shop's (by slug, Chinese or English name). The one rule of the API,
 * the console's product forms and the imports: a product goes into a listed category, never a new one.
 */
export async function listedCategory(db: Db, category: string): Promise<boolean> {
  const [found] = await db.query<{ id: string }>(FIND_CATEGORY, [category]);
  return Boolean(found);
}

/** Why `category` cannot be a product's (it is not listed: the message names the listed ones), or null. */
export async function categoryProblem(db: Db, category: string): Promise<Msg | null> {
  if (await listedCategory(db, category)) return null;
  const listed = await db.query<{ slug: string }>("SELECT slug FROM categories ORDER BY sort, id");
  return msg("cat.err.unknownCategory", { names: listed.map((c) => c.slug).join(", ") });
}

/** The id of a listed category; 400 with `fields.category` naming the shop's categories otherwise. */
async function categoryId(tx: Db, category: string): Promise<string> {
  const [found] = await tx.query<{ id: string }>(FIND_CATEGORY, [category]);
  if (found) return String(found.id);
  const problem = (await categoryProblem(tx, category))!;
  throw fail.invalid("cat.err.unknownCategory", problem.params as { names: string }, { category: problem });
}

/**
 * SKU codes are unique in the whole shop (migration 0028 enforces it too): 409 naming the first input
 * SKU whose code another product's live SKU carries already.
 */
/**
 * Settles the codes of a product's SKUs before they are written: a code the shop made up (`P12`,
 * `P12-2`) that a manager already gave another product's SKU takes the next free variant (`P12-3`, …);
 * a code the manager typed that another product's SKU carries is refused (409 naming both).
 */
async function settleCodes(tx: Db, productId: string, rows: { code: string; generated: boolean }[]): Promise<void> {
  const othersCarry = async (codes: string[]) =>
    await tx.query<{ code: string; product_id: string }>(
      `SELECT code, product_id FROM product_skus
        WHERE lower(code) = ANY($1::text[]) AND product_id <> $2 AND archived_at IS NULL ORDER BY id`,
      [codes.map((c) => c.toLowerCase()), productId],
    );
  const taken = await othersCarry(rows.map((r) => r.code));
  if (!taken.length) return;
  const typed = taken.find((t) => rows.some((r) => !r.generated && r.code.toLowerCase() === t.code.toLowerCase()));
  if (typed) {
    const index = rows.findIndex((r) => r.code.toLowerCase() === typed.code.toLowerCase());
    const params = { code: typed.code, product: String(typed.product_id) };
    throw fail.conflict("sku.err.codeTaken", params, { [`skus.${index}.code`]: msg("sku.err.codeTaken", params) });
  }
  const inUse = new Set([...rows.map((r) => r.code.toLowerCase()), ...taken.map((t) => t.code.toLowerCase())]);
  for (const row of rows) {
    if (!taken.some((t) => t.code.toLowerCase() === row.code.toLowerCase())) continue;
    const base = row.code;
    for (let n = 2;; n++) {
      const candidate = `${base}-${n}`;
      if (inUse.has(candidate.toLowerCase()) || (await othersCarry([candidate])).length) continue;
      row.code = candidate;
      inUse.add(candidate.toLowerCase());
      break;
    }
  }
}

async function brandId(tx: Db, brand: string | undefined): Promise<string | null> {
  if (!brand) return null;
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO brands (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    [brand],
  );
  return String(row.id);
}

/** A product row's fields as the audit log records them. */
function auditedFields(row: Record<string, unknown>): Record<string, unknown> {
  const time = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
  return {
    name: row.name,
    nameEn: row.name_en,
    description: row.description,
    categoryId: String(row.category_id),
    brandId: row.brand_id == null ? null : String(row.brand_id),
    price: row.price,
    costPrice: row.cost_price,
    stock: row.stock,
    lowStockThreshold: row.low_stock_threshold,
    restockLeadDays: row.restock_lead_days,
    onSale: row.on_sale,
    featured: row.featured,
    onShelfAt: time(row.on_shelf_at),
    offShelfAt: time(row.off_shelf_at),
    specs: row.specs,
  };
}

/** Only the fields that differ, as `before` and `after` halves. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

/** The manager's view of a product: the public view plus cost and threshold. */
export async function adminProductView(db: Db, id: string) {
  const row = await findProduct(db, id);
  if (!row) throw fail.notFound("product");
  const view = toProductView(row, undefined);
  return {
    ...view,
    costPrice: row.cost_price,
    lowStockThreshold: row.low_stock_threshold,
    restockLeadDays: row.restock_lead_days,
    onHand: row.stock,
    reserved: row.reserved,
    archived: row.archived_at != null,
    skus: view.skus.map((sku, i) => ({
      ...sku,
      costPrice: row.skus[i].cost_price,
      lowStockThreshold: row.skus[i].low_stock_threshold,
      onHand: row.skus[i].stock,
      reserved: row.skus[i].reserved,
    })),
  };
}

/**
 * Archives a product (the catalogue's "delete"): off sale, out of every list, kept for the orders,
 * stock movements and commission lines that refer to it. Audited; archiving twice changes nothing.
 */
export async function archiveProduct(db: Db, actor: UserRow, productId: string, ip: string | null) {
  return await setArchived(db, actor, productId, true, ip);
}

/** Brings an archived product back to the catalogue, still off sale until a manager puts it on sale. */
export async function restoreProduct(db: Db, actor: UserRow, productId: string, ip: string | null) {
  return await setArchived(db, actor, productId, false, ip);
}

async function setArchived(db: Db, actor: UserRow, productId: string, archive: boolean, ip: string | null) {
  return await db.transaction(async (tx) => {
    const [before] = await tx.query<{ archived_at: Date | null; on_sale: boolean }>(
      "SELECT archived_at, on_sale FROM products WHERE id = $1 FOR UPDATE",
      [/^\d{1,18}$/.test(productId) ? productId : "0"],
    );
    if (!before) throw fail.notFound("product");
    if ((before.archived_at !== null) !== archive) {
      await tx.query(
        `UPDATE products SET archived_at = ${
          archive ? "now()" : "NULL"
        }, on_sale = false, updated_at = now() WHERE id = $1`,
        [productId],
      );
      await appendAudit(tx, {
        actorId: String(actor.id),
        action: archive ? "product.archive" : "product.restore",
        target: `product:${productId}`,
        ip,
        before: { archived: before.archived_at !== null, onSale: before.on_sale },
        after: { archived: archive, onSale: false },
      });
      await catalogueChanged(tx, [productId]);
    }
    return await adminProductView(tx, productId);
  });
}

/** Everything the product edit form shows, with the categories and brands to pick from. */
export async function productEditView(db: Db, id: string) {
  const [row] = await db.query<{
    id: string;
    name: string;
    name_en: string;
    description: string;
    category: string;
    brand: string | null;
    price: string;
    cost_price: string;
    stock: number;
    reserved: number;
    low_stock_threshold: number;
    restock_lead_days: number;
    on_sale: boolean;
    featured: boolean;
    on_shelf_at: Date | string | null;
    off_shelf_at: Date | string | null;
    specs: Record<string, string> | null;
    archived_at: Date | string | null;
    sku_axes: SkuAxis[];
    skus: SkuRow[];
  }>(
    `SELECT p.id, p.name, p.name_en, p.description, c.slug AS category, b.name AS brand, p.price, p.cost_price,
            p.stock, p.reserved, p.low_stock_threshold, p.restock_lead_days, p.on_sale, p.featured, p.on_shelf_at, p.off_shelf_at, p.specs,
            p.archived_at, p.sku_axes, ${SKUS_JSON} AS skus
       FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id
      WHERE p.id = $1`,
    [/^\d{1,18}$/.test(id) ? id : "0"],
  );
  if (!row) throw fail.notFound("product");
  const [categories, brands] = await Promise.all([
    db.query<{ slug: string; name_zh: string; name_en: string }>(
      "SELECT slug, name_zh, name_en FROM categories ORDER BY sort, id",
    ),
    db.query<{ name: string }>("SELECT name FROM brands ORDER BY name LIMIT 500"),
  ]);
  const time = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());
  return {
    product: {
      id: String(row.id),
      name: row.name,
      nameEn: row.name_en,
      description: row.description,
      category: row.category,
      brand: row.brand ?? "",
      price: row.price,
      costPrice: row.cost_price,
      stock: row.stock,
      reserved: row.reserved,
      lowStockThreshold: row.low_stock_threshold,
      restockLeadDays: row.restock_lead_days,
      onSale: row.on_sale,
      featured: row.featured,
      onShelfAt: time(row.on_shelf_at),
      offShelfAt: time(row.off_shelf_at),
      specs: row.specs ?? {},
      archived: row.archived_at != null,
      skuAxes: row.sku_axes ?? [],
      skus: (row.skus ?? []).map((s) => ({
        id: String(s.id),
        code: s.code,
        specs: s.specs ?? {},
        price: s.price,
        costPrice: s.cost_price,
        stock: s.stock,
        reserved: s.reserved,
        lowStockThreshold: s.low_stock_threshold,
        imageUrl: s.image_url ?? "",
      })),
    },
    categories,
    brands: brands.map((b) => b.name),
  };
}

/**
 * Creates a product; its opening stock is recorded as a movement by the actor. Audited and announced to the
 * page caches (`catalogue_changed`) unless part of an import, which audits and announces once.
 */
export async function createProduct(
  db: Db,
  actor: UserRow,
  input: z.infer<typeof productCreateSchema>,
  ip: string | null,
  audit = true,
) {
  return await db.transaction(async (tx) => {
    const skus = input.skus ?? [{
      specs: {},
      price: input.price!,
      costPrice: input.costPrice!,
      stock: input.stock!,
      lowStockThreshold: input.lowStockThreshold!,
    }];
    const first = skus.reduce((min, sku) => (Number(sku.price) < Number(min.price) ? sku : min), skus[0]);
    // The product row (its single SKU comes with it, by trigger), then its SKUs and their opening stock.
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO products (category_id, brand_id, name, name_en, description, price, cost_price, stock, low_stock_threshold,
                             on_sale, featured, on_shelf_at, off_shelf_at, specs, restock_lead_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13::text::jsonb, $14) RETURNING id`,
      [
        await categoryId(tx, input.category),
        await brandId(tx, input.brand),
        input.name,
        input.nameEn ?? "",
        input.description ?? "",
        first.price,
        first.costPrice,
        skus.reduce((n, sku) => n + sku.lowStockThreshold, 0),
        input.onSale ?? true,
        input.featured ?? false,
        input.onShelfAt ?? null,
        input.offShelfAt ?? null,
        JSON.stringify(input.specs ?? {}),
        input.restockLeadDays ?? DEFAULT_RESTOCK_LEAD_DAYS,
      ],
    );
    const productId = String(row.id);
    await writeSkus(tx, actor, productId, input.skus ? input.skuAxes : [], skus);
    if (audit) {
      await appendAudit(tx, {
        actorId: String(actor.id),
        action: "product.create",
        target: `product:${productId}`,
        ip,
        after: input,
      });
      await catalogueChanged(tx, [productId]);
    }
    return await adminProductView(tx, productId);
  });
}

/** A stored SKU as the replace reads it (locked). */
type StoredSku = SkuRow;

/** The SKUs of a product as the audit log records them. */
function auditedSkus(rows: StoredSku[]) {
  return rows.map((r) => ({
    id: String(r.id),
    code: r.code,
    specs: r.specs,
    price: r.price,
    costPrice: r.cost_price,
    stock: r.stock,
    lowStockThreshold: r.low_stock_threshold,
    imageUrl: r.image_url,
  }));
}

/** Locks a product's live SKUs in id order (LOCK_ORDER.md: SKUs, then the product) and reads them. */
async function lockSkus(tx: Db, productId: string): Promise<StoredSku[]> {
  return await tx.query<StoredSku>(
    `SELECT id, code, specs, price::text, cost_price::text, stock, reserved, low_stock_threshold, image_url
       FROM product_skus WHERE product_id = $1 AND archived_at IS NULL ORDER BY id FOR NO KEY UPDATE`,
    [productId],
  );
}

/**
 * Makes a product's SKUs exactly `skus` (checked by `checkSkuSet`): each input keeps the stored SKU of its
 * `id` or of the same specs, or is new; stored SKUs left over are deleted when nothing refers to them and
 * archived otherwise (refused with 409 while unpaid orders hold units of them). Stock is set as on-hand
 * figures, every difference a movement by the actor. The product's axes, "from" price (lowest SKU), its
 * cost and threshold follow. SKU rows are locked first in id order, then the product (LOCK_ORDER.md).
 */
async function writeSkus(
  tx: Db,
  actor: UserRow,
  productId: string,
  axesIn: SkuAxis[] | undefined,
  skus: z.infer<typeof skuInputSchema>[],
): Promise<{ before: StoredSku[]; after: StoredSku[] }> {
  const [current] = await tx.query<{ sku_axes: SkuAxis[] }>("SELECT sku_axes FROM products WHERE id = $1", [productId]);
  const { axes, problems } = checkSkuSet(axesIn, skus, current?.sku_axes ?? []);
  if (Object.keys(problems).length) throw fail.invalid("sku.err.notFit", {}, skuProblemFields(problems));
  const stored = await lockSkus(tx, productId);
  const byId = new Map(stored.map((s) => [String(s.id), s]));
  const bySpecs = new Map(stored.map((s) => [specsKey(s.specs), s]));
  const kept = new Set<string>();
  const plan = skus.map((sku, i) => {
    const match = sku.id ? byId.get(sku.id) : bySpecs.get(specsKey(sku.specs));
    if (sku.id && !match) {
      throw fail.invalid("sku.err.noSuchSku", {}, { [`skus.${i}.id`]: msg("sku.err.notSkuOf") });
    }
    const found = match && !kept.has(String(match.id)) ? match : undefined;
    if (found) kept.add(String(found.id));
    return { sku, found, index: i };
  });
  const removed = stored.filter((s) => !kept.has(String(s.id)));
  const busy = removed.find((s) => s.reserved > 0);
  if (busy) {
    throw fail.conflict("sku.err.reserved", { code: busy.code, n: busy.reserved }, {
      skus: msg("sku.err.reservedField", { code: busy.code }),
    });
  }
  for (const { sku, found, index } of plan) {
    if (found && sku.stock < found.reserved) {
      throw fail.conflict("cat.err.reserved", { n: found.reserved }, {
        [`skus.${index}.stock`]: msg("cat.err.atLeast", { n: found.reserved }),
      });
    }
  }
  const moves: { skuId: string; onHand: number; reserved: number }[] = [];
  // Removed SKUs give up their units (recorded), then go: deleted if unused, else archived.
  for (const s of removed) if (s.stock > 0) moves.push({ skuId: String(s.id), onHand: -s.stock, reserved: 0 });
  // Kept SKUs: free their codes and specs first, so a swap of two SKUs' specs never collides.
  const keptIds = plan.filter((p) => p.found).map((p) => String(p.found!.id));
  if (keptIds.length) {
    await tx.query(
      `UPDATE product_skus SET code = '#' || id::text, specs = jsonb_build_object('#', id::text)
        WHERE id = ANY(string_to_array($1, ',')::bigint[])`,
      [keptIds.join(",")],
    );
  }
  const removedIds = removed.map((s) => String(s.id)).join(",");
  if (removed.length) {
    await tx.query(
      `UPDATE product_skus SET code = '#' || id::text, specs = jsonb_build_object('#', id::text)
        WHERE id = ANY(string_to_array($1, ',')::bigint[])`,
      [removedIds],
    );
  }
  const rows = plan.map(({ sku, found, index }) => ({
    id: found ? String(found.id) : null,
    code: sku.code ?? (skus.length === 1 && axes.length === 0 ? `P${productId}` : `P${productId}-${index + 1}`),
    generated: !sku.code,
    specs: sku.specs,
    price: sku.price,
    cost_price: sku.costPrice,
    low_stock_threshold: sku.lowStockThreshold,
    image_url: sku.imageUrl ?? null,
    sort: index,
  }));
  await settleCodes(tx, productId, rows);
  const written = await tx.query<{ id: string; code: string; specs: Record<string, string> }>(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset($2::text::jsonb) AS x(id bigint, code text, specs jsonb, price numeric,
              cost_price numeric, low_stock_threshold int, image_url text, sort int)
     ),
     updated AS (
       UPDATE product_skus s SET code = r.code, specs = r.specs, price = r.price, cost_price = r.cost_price,
              low_stock_threshold = r.low_stock_threshold, image_url = r.image_url, sort = r.sort, updated_at = now()
         FROM r WHERE r.id IS NOT NULL AND s.id = r.id AND s.product_id = $1
       RETURNING s.id, s.code, s.specs
     ),
     inserted AS (
       INSERT INTO product_skus (product_id, code, specs, price, cost_price, low_stock_threshold, image_url, sort)
       SELECT $1, code, specs, price, cost_price, low_stock_threshold, image_url, sort FROM r WHERE r.id IS NULL
        ORDER BY sort
       RETURNING id, code, specs
     )
     SELECT * FROM updated UNION ALL SELECT * FROM inserted`,
    [productId, JSON.stringify(rows)],
  );
  plan.forEach(({ sku, found }) => {
    const id = found ? String(found.id) : String(written.find((w) => specsKey(w.specs) === specsKey(sku.specs))!.id);
    const diff = sku.stock - (found?.stock ?? 0);
    if (diff !== 0) moves.push({ skuId: id, onHand: diff, reserved: 0 });
  });
  // Stock last: SKU rows in id order, then the product by the sum trigger.
  const after = await moveStockMany(tx, moves, "adjust", null, String(actor.id));
  for (const change of mergeMoves(moves)) await stockLevelEvent(tx, change, after.get(change.skuId)!);
  if (removed.length) {
    await tx.query(
      `WITH gone AS (SELECT id FROM product_skus WHERE id = ANY(string_to_array($1, ',')::bigint[])),
       carts AS (DELETE FROM cart_items WHERE sku_id IN (SELECT id FROM gone))
       UPDATE product_skus s SET archived_at = now(), updated_at = now() FROM gone WHERE s.id = gone.id`,
      [removedIds],
    );
    await tx.query(
      `DELETE FROM product_skus s WHERE s.id = ANY(string_to_array($1, ',')::bigint[])
          AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.sku_id = s.id)
          AND NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.sku_id = s.id)`,
      [removedIds],
    );
  }
  // The product follows: axes, its "from" price and cost, the sum of thresholds.
  const cheapest = skus.reduce((min, sku) => (Number(sku.price) < Number(min.price) ? sku : min), skus[0]);
  await tx.query(
    `UPDATE products SET sku_axes = $2::text::jsonb, price = $3, cost_price = $4, low_stock_threshold = $5,
            updated_at = now() WHERE id = $1`,
    [
      productId,
      JSON.stringify(axes),
      cheapest.price,
      cheapest.costPrice,
      skus.reduce((n, sku) => n + sku.lowStockThreshold, 0),
    ],
  );
  return { before: stored, after: await lockSkus(tx, productId) };
}

/**
 * Replaces a product's axes and SKUs (`PUT /api/admin/products/:id/skus`) in one transaction, audited
 * with the SKUs before and after, and announced to the page caches.
 */
export async function replaceSkus(
  db: Db,
  actor: UserRow,
  productId: string,
  input: z.infer<typeof skuReplaceSchema>,
  ip: string | null,
) {
  return await db.transaction(async (tx) => {
    const [product] = await tx.query<{ sku_axes: SkuAxis[] }>("SELECT sku_axes FROM products WHERE id = $1", [
      /^\d{1,18}$/.test(productId) ? productId : "0",
    ]);
    if (!product) throw fail.notFound("product");
    const { before, after } = await writeSkus(tx, actor, productId, input.skuAxes, input.skus);
    const [axes] = await tx.query<{ sku_axes: SkuAxis[] }>("SELECT sku_axes FROM products WHERE id = $1", [productId]);
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "product.skus_replace",
      target: `product:${productId}`,
      ip,
      before: { skuAxes: product.sku_axes, skus: auditedSkus(before) },
      after: { skuAxes: axes.sku_axes, skus: auditedSkus(after) },
    });
    await catalogueChanged(tx, [productId]);
    return await adminProductView(tx, productId);
  });
}

/**
 * Changes a product. Stock is set as a new on-hand figure: the difference is recorded as a stock
 * movement with the actor, and price and stock changes leave an audit entry with before/after.
 */
export async function updateProduct(
  db: Db,
  actor: UserRow,
  productId: string,
  patch: z.infer<typeof productPatchSchema>,
  ip: string | null,
) {
  return await db.transaction(async (tx) => {
    const id = /^\d{1,18}$/.test(productId) ? productId : "0";
    // SKU rows first, in id order, then the product (LOCK_ORDER.md): orders lock SKUs, then products.
    const skus = await lockSkus(tx, id);
    const [before] = await tx.query<Record<string, unknown> & { stock: number; reserved: number }>(
      "SELECT * FROM products WHERE id = $1 FOR NO KEY UPDATE",
      [id],
    );
    if (!before) throw fail.notFound("product");
    if (before.archived_at && patch.onSale) {
      throw fail.conflict("cat.err.archived", {}, { onSale: msg("cat.err.archivedField") });
    }
    if (skus.length !== 1) {
      // A form that posts the product's shown figures unchanged (its "from" price, summed stock) is no change.
      const shown = {
        price: before.price,
        costPrice: before.cost_price,
        stock: before.stock,
        lowStockThreshold: before.low_stock_threshold,
      } as Record<string, unknown>;
      const same = (f: string) => Number(patch[f as keyof typeof patch]) === Number(shown[f]);
      patch = Object.fromEntries(
        Object.entries(patch).filter(([k]) => !(SINGLE_SKU_FIELDS as readonly string[]).includes(k) || !same(k)),
      ) as typeof patch;
    }
    const skuFields = SINGLE_SKU_FIELDS.filter((f) => patch[f] !== undefined);
    if (skuFields.length && skus.length !== 1) {
      const said = { n: skus.length, path: `PUT /api/admin/products/${id}/skus` };
      const message = msg("sku.err.several", said);
      throw fail.invalid("sku.err.several", said, Object.fromEntries(skuFields.map((f) => [f, message])));
    }
    const sets: string[] = [];
    const params: unknown[] = [productId];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.name !== undefined) set("name", patch.name);
    if (patch.nameEn !== undefined) set("name_en", patch.nameEn);
    if (patch.description !== undefined) set("description", patch.description);
    if (patch.category !== undefined) set("category_id", await categoryId(tx, patch.category));
    if (patch.brand !== undefined) set("brand_id", await brandId(tx, patch.brand));
    if (patch.price !== undefined) set("price", patch.price);
    if (patch.costPrice !== undefined) set("cost_price", patch.costPrice);
    if (patch.lowStockThreshold !== undefined) set("low_stock_threshold", patch.lowStockThreshold);
    if (patch.restockLeadDays !== undefined) set("restock_lead_days", patch.restockLeadDays);
    if (patch.onSale !== undefined) set("on_sale", patch.onSale);
    if (patch.featured !== undefined) set("featured", patch.featured);
    if (patch.onShelfAt !== undefined) set("on_shelf_at", patch.onShelfAt);
    if (patch.offShelfAt !== undefined) set("off_shelf_at", patch.offShelfAt);
    if (patch.specs !== undefined) {
      params.push(JSON.stringify(patch.specs));
      sets.push(`specs = $${params.length}::text::jsonb`);
    }
    if (sets.length) await tx.query(`UPDATE products SET ${sets.join(", ")}, updated_at = now() WHERE id = $1`, params);
    const sku = skus[0];
    if (sku && (patch.price !== undefined || patch.costPrice !== undefined || patch.lowStockThreshold !== undefined)) {
      // The product's only SKU carries its price, cost and threshold.
      await tx.query(
        `UPDATE product_skus SET price = coalesce($2, price), cost_price = coalesce($3, cost_price),
                low_stock_threshold = coalesce($4, low_stock_threshold), updated_at = now() WHERE id = $1`,
        [sku.id, patch.price ?? null, patch.costPrice ?? null, patch.lowStockThreshold ?? null],
      );
    }
    if (sku && patch.stock !== undefined && patch.stock !== sku.stock) {
      if (patch.stock < sku.reserved) {
        throw fail.conflict("cat.err.reserved", { n: sku.reserved }, {
          stock: msg("cat.err.atLeast", { n: sku.reserved }),
        });
      }
      // Through the SKU (its row is locked already), so no path writes products.stock directly.
      const change = { skuId: String(sku.id), onHand: patch.stock - sku.stock, reserved: 0 };
      const after = await moveStockMany(tx, [change], "adjust", null, String(actor.id));
      await stockLevelEvent(tx, change, after.get(change.skuId)!);
    }
    const [after] = await tx.query<Record<string, unknown>>("SELECT * FROM products WHERE id = $1", [productId]);
    const { before: was, after: now } = changedFields(auditedFields(before), auditedFields(after));
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "stock" in now ? "product.stock_adjust" : "product.update",
      target: `product:${productId}`,
      ip,
      before: was,
      after: now,
    });
    // The shop pages show the name, price, category, brand, specs, shelf state and stock state.
    if (Object.keys(now).length) await catalogueChanged(tx, [productId]);
    return await adminProductView(tx, productId);
  });
}

/** A SKU set's problems (`checkSkuSet`) as field messages. */
function skuProblemFields(problems: Record<string, SkuProblem>): FieldMessages {
  return Object.fromEntries(
    Object.entries(problems).map(([path, p]) => [path, { key: `sku.err.${p.reason}`, params: p.params }]),
  );
}

/** The body of `POST /api/admin/coupons`. */
export const couponInputSchema = z.object({
  code: text().trim().min(3, says("cat.err.couponCodeMin")).max(40).regex(
    /^[A-Za-z0-9_-]+$/,
    says("cat.err.couponCodeChars"),
  ),
  kind: z.enum(["amount_off", "percent_off"]),
  value: z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, says("cat.err.decimal")),
  minSubtotal: moneyString.optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  newMembersOnly: z.boolean().optional(),
  productIds: z.array(z.string().regex(/^\d{1,18}$/)).max(500).optional(),
  categoryIds: z.array(z.string().regex(/^\d{1,18}$/)).max(500).optional(),
  perMemberLimit: z.number().int().min(1).max(1000).optional(),
  /** Members collect it first (领券: the shop's coupon strip, `POST /api/coupons/:code/claim`). */
  claimable: z.boolean().optional(),
  /** How many claims it gives out in all (claimable coupons only). */
  totalLimit: z.number().int().min(1).max(10_000_000).optional(),
}).superRefine((v, ctx) => {
  if (v.totalLimit !== undefined && !v.claimable) {
    ctx.addIssue({ code: "custom", path: ["totalLimit"], message: says("coupons.err.totalLimit") });
  }
  const value = Number(v.value);
  if (value <= 0) ctx.addIssue({ code: "custom", path: ["value"], message: says("cat.err.positive") });
  if (v.kind === "percent_off" && value >= 1) {
    ctx.addIssue({ code: "custom", path: ["value"], message: says("cat.err.percent") });
  }
  if (v.startsAt && v.endsAt && new Date(v.endsAt) <= new Date(v.startsAt)) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: says("validation.afterStart") });
  }
});

/** 400 with `fields[field]` naming the first of `ids` that is not a row of `table`. */
async function checkIdsExist(tx: Db, table: "products" | "categories", field: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await tx.query<{ id: string }>(
    `SELECT id::text AS id FROM ${table} WHERE id = ANY(string_to_array($1, ',')::bigint[])`,
    [ids.join(",")],
  );
  const known = new Set(found.map((r) => String(r.id)));
  const missing = ids.find((id) => !known.has(String(BigInt(id))));
  if (missing === undefined) return;
  throw fail.invalid("cat.err.unknownIds", { id: missing }, { [field]: msg("cat.err.unknownIds", { id: missing }) });
}

/** Creates a coupon (a taken code is 409; an unknown product or category id 400). */
export async function createCoupon(
  db: Db,
  actor: UserRow,
  input: z.infer<typeof couponInputSchema>,
  ip: string | null,
) {
  return await db.transaction(async (tx) => {
    const [taken] = await tx.query("SELECT 1 FROM coupons WHERE upper(code) = upper($1)", [input.code]);
    if (taken) throw fail.conflict("cat.err.couponTaken", {}, { code: msg("cat.err.chooseAnotherCode") });
    await checkIdsExist(tx, "products", "productIds", input.productIds ?? []);
    await checkIdsExist(tx, "categories", "categoryIds", input.categoryIds ?? []);
    const [row] = await tx.query<{ id: string; created_at: Date }>(
      `INSERT INTO coupons (code, kind, value, min_subtotal, starts_at, ends_at, new_members_only, product_ids, category_ids,
                            per_member_limit, created_by, claimable, total_limit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, string_to_array($8, ',')::bigint[], string_to_array($9, ',')::bigint[], $10, $11,
               $12, $13)
       RETURNING id, created_at`,
      [
        input.code,
        input.kind,
        input.value,
        input.minSubtotal ?? null,
        input.startsAt ?? null,
        input.endsAt ?? null,
        input.newMembersOnly ?? false,
        (input.productIds ?? []).join(","),
        (input.categoryIds ?? []).join(","),
        input.perMemberLimit ?? null,
        actor.id,
        input.claimable ?? false,
        input.totalLimit ?? null,
      ],
    );
    // A claimable coupon shows in the shop home's 领券 strip: kept list pages are dropped.
    if (input.claimable) await catalogueChanged(tx, []);
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "coupon.create",
      target: `coupon:${row.id}`,
      ip,
      after: input,
    });
    return {
      id: String(row.id),
      ...input,
      claimable: input.claimable ?? false,
      totalLimit: input.totalLimit ?? null,
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}
