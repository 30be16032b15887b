import { z } from "zod";
import type { Db } from "../db/db.ts";
import { findProduct } from "../db/products_repo.ts";
import { moveStock } from "../db/stock_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { AppError, fail } from "../lib/errors.ts";
import { toProductView } from "./catalogue.ts";
import { stockLevelEvent } from "./order_events.ts";
import { text } from "../lib/text.ts";
import { catalogueChanged } from "./catalogue_events.ts";

const moneyString = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be a decimal string like "129.00"');

const LEAD_DAYS_MESSAGE = "Enter a whole number of days from 0 to 365";

/** Restock lead time of a product created without one (the column default of migration 0006). */
export const DEFAULT_RESTOCK_LEAD_DAYS = 7;

/** The body of `POST /api/admin/products`. */
export const productInputSchema = z.object({
  name: text().trim().min(1, "Product name is required").max(120),
  nameEn: text().trim().max(120).optional(),
  description: text({ multiline: true }).trim().max(5000).optional(),
  category: text().trim().min(1, "Category is required").max(60),
  brand: text().trim().max(60).optional(),
  price: moneyString,
  costPrice: moneyString,
  stock: z.number().int().min(0).max(10_000_000),
  lowStockThreshold: z.number().int().min(0).max(1_000_000),
  /** Days a restock takes to arrive; drives the restock forecast (7 when not given). */
  restockLeadDays: z.number().int().min(0, LEAD_DAYS_MESSAGE).max(365, LEAD_DAYS_MESSAGE).optional(),
  onSale: z.boolean().optional(),
  featured: z.boolean().optional(),
  onShelfAt: z.iso.datetime({ offset: true }).nullable().optional(),
  offShelfAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Specification name → value, shown on the product page ("颜色" → "红色"). */
  specs: z.record(text().trim().min(1, "Spec names cannot be empty").max(40), text().trim().max(200))
    .refine((v) => Object.keys(v).length <= 30, "At most 30 specs")
    .optional(),
});

/** The body of `PATCH /api/admin/products/:id`: any of the fields. */
export const productPatchSchema = productInputSchema.partial().refine((v) => Object.keys(v).length > 0, {
  message: "Send at least one field to change",
});

async function categoryId(tx: Db, category: string): Promise<string> {
  const [found] = await tx.query<{ id: string }>(
    "SELECT id FROM categories WHERE slug = lower($1) OR name_zh = $1 OR lower(name_en) = lower($1) LIMIT 1",
    [category],
  );
  if (found) return String(found.id);
  const slug = category.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
    `c-${crypto.randomUUID().slice(0, 8)}`;
  const [created] = await tx.query<{ id: string }>(
    `INSERT INTO categories (slug, name_zh, name_en, sort) VALUES ($1, $2, $2, 100)
     ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
    [slug, category],
  );
  return String(created.id);
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
  if (!row) throw fail.notFound("Product");
  return {
    ...toProductView(row, undefined),
    costPrice: row.cost_price,
    lowStockThreshold: row.low_stock_threshold,
    restockLeadDays: row.restock_lead_days,
    onHand: row.stock,
    reserved: row.reserved,
    archived: row.archived_at != null,
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
    if (!before) throw fail.notFound("Product");
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
  }>(
    `SELECT p.id, p.name, p.name_en, p.description, c.name_zh AS category, b.name AS brand, p.price, p.cost_price,
            p.stock, p.reserved, p.low_stock_threshold, p.restock_lead_days, p.on_sale, p.featured, p.on_shelf_at, p.off_shelf_at, p.specs,
            p.archived_at
       FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id
      WHERE p.id = $1`,
    [/^\d{1,18}$/.test(id) ? id : "0"],
  );
  if (!row) throw fail.notFound("Product");
  const [categories, brands] = await Promise.all([
    db.query<{ name: string }>("SELECT name_zh AS name FROM categories ORDER BY sort, id"),
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
    },
    categories: categories.map((c) => c.name),
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
  input: z.infer<typeof productInputSchema>,
  ip: string | null,
  audit = true,
) {
  return await db.transaction(async (tx) => {
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
        input.price,
        input.costPrice,
        input.lowStockThreshold,
        input.onSale ?? true,
        input.featured ?? false,
        input.onShelfAt ?? null,
        input.offShelfAt ?? null,
        JSON.stringify(input.specs ?? {}),
        input.restockLeadDays ?? DEFAULT_RESTOCK_LEAD_DAYS,
      ],
    );
    const productId = String(row.id);
    if (input.stock > 0) {
      await moveStock(tx, productId, { onHand: input.stock, reserved: 0 }, "adjust", null, String(actor.id));
    }
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
    const [before] = await tx.query<Record<string, unknown> & { stock: number; reserved: number }>(
      "SELECT * FROM products WHERE id = $1 FOR UPDATE",
      [/^\d{1,18}$/.test(productId) ? productId : "0"],
    );
    if (!before) throw fail.notFound("Product");
    if (before.archived_at && patch.onSale) {
      throw new AppError("conflict", "This product is archived; restore it before putting it on sale", {
        onSale: "Archived",
      });
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
    if (patch.stock !== undefined && patch.stock !== before.stock) {
      if (patch.stock < before.reserved) {
        throw new AppError("conflict", `Stock cannot go below the ${before.reserved} units reserved by unpaid orders`, {
          stock: `At least ${before.reserved}`,
        });
      }
      const after = await moveStock(
        tx,
        productId,
        { onHand: patch.stock - before.stock, reserved: 0 },
        "adjust",
        null,
        String(actor.id),
      );
      await stockLevelEvent(tx, before.stock - before.reserved, after);
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

/** The body of `POST /api/admin/coupons`. */
export const couponInputSchema = z.object({
  code: text().trim().min(3, "At least 3 characters").max(40).regex(
    /^[A-Za-z0-9_-]+$/,
    "Letters, digits, - and _ only",
  ),
  kind: z.enum(["amount_off", "percent_off"]),
  value: z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, "must be a decimal string"),
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
    ctx.addIssue({ code: "custom", path: ["totalLimit"], message: "only for claimable coupons (claimable: true)" });
  }
  const value = Number(v.value);
  if (value <= 0) ctx.addIssue({ code: "custom", path: ["value"], message: "must be more than zero" });
  if (v.kind === "percent_off" && value >= 1) {
    ctx.addIssue({ code: "custom", path: ["value"], message: 'a percentage is a share below 1, e.g. "0.15"' });
  }
  if (v.startsAt && v.endsAt && new Date(v.endsAt) <= new Date(v.startsAt)) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  }
});

/** Creates a coupon; a taken code is 409. */
export async function createCoupon(
  db: Db,
  actor: UserRow,
  input: z.infer<typeof couponInputSchema>,
  ip: string | null,
) {
  return await db.transaction(async (tx) => {
    const [taken] = await tx.query("SELECT 1 FROM coupons WHERE upper(code) = upper($1)", [input.code]);
    if (taken) throw fail.conflict("This coupon code exists already", { code: "Choose another code" });
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
