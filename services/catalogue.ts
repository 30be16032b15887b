import { z } from "zod";
import type { Db } from "../db/db.ts";
import {
  findProduct,
  listProducts,
  nextScheduledChange,
  type ProductRow,
  type SkuAxis,
  type SkuRow,
} from "../db/products_repo.ts";
import { type CategoryRow, listBrands, listCategories } from "../db/products_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { memberPrice } from "../domain/pricing/member_price.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { appConfig } from "../fresh.config.ts";
import { fail } from "../lib/errors.ts";
import { text } from "../lib/text.ts";
import { imageVersion, productImageUrl } from "../components/product_image.ts";
import { nextHomeChange } from "./home_arrangement.ts";

/** Query of the product list (API and pages). */
export const productQuerySchema = z.object({
  q: text().trim().max(100).optional(),
  category: text().trim().max(60).optional(),
  sort: z.enum(["popular", "newest", "price_asc", "price_desc"]).optional(),
  brand: text().trim().max(60).optional(),
  minPrice: z.string().trim().regex(/^(\d{1,12}(\.\d{1,2})?)?$/, "must be a price like 99.00").optional(),
  maxPrice: z.string().trim().regex(/^(\d{1,12}(\.\d{1,2})?)?$/, "must be a price like 199.00").optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize, "pageSize is at most 100")
    .default(appConfig.pagination.defaultPageSize),
});

/** A product as the API shows it to one caller. */
export interface ProductView {
  id: string;
  name: string;
  nameEn: string;
  description: string;
  category: string;
  categoryName: { zh: string; en: string };
  price: string;
  memberPrice: string;
  stock: number;
  lowStock: boolean;
  onSale: boolean;
  imageUrl: string;
  brand: string | null;
  specs: Record<string, string>;
  featured: boolean;
  /** The flash sale running now (for every SKU of the product), or null. */
  flashSale: { price: string; endsAt: string; remaining: number | null; perMemberLimit: number | null } | null;
  /** Specification axes in display order (empty for a product with one SKU). */
  skuAxes: SkuAxis[];
  /** The SKUs that can be ordered: `stock` is sellable units, `memberPrice` this caller's price. */
  skus: SkuView[];
}

/** A SKU as the API shows it to one caller. */
export interface SkuView {
  id: string;
  code: string;
  specs: Record<string, string>;
  price: string;
  memberPrice: string;
  stock: number;
  lowStock: boolean;
  imageUrl: string | null;
}

/** Shapes a SKU for a caller: `memberPrice` at their level, `stock` = sellable now. */
export function toSkuView(s: SkuRow, viewer: UserRow | undefined): SkuView {
  const sellable = s.stock - s.reserved;
  return {
    id: String(s.id),
    code: s.code,
    specs: s.specs ?? {},
    price: toMoneyString(memberPrice(s.price, null)),
    memberPrice: toMoneyString(memberPrice(s.price, viewer?.level ?? null)),
    stock: sellable,
    lowStock: sellable <= s.low_stock_threshold,
    imageUrl: s.image_url,
  };
}

/** Shapes a product for a caller: `memberPrice` at their level, `stock` = sellable now. */
export function toProductView(row: ProductRow, viewer: UserRow | undefined): ProductView {
  const sellable = row.stock - row.reserved;
  const skus = (row.skus ?? []).map((s) => toSkuView(s, viewer));
  // The product's price is its lowest SKU price (the "from" price).
  const from = (row.skus ?? []).reduce(
    (min, s) => (min === null || money(s.price).lt(money(min)) ? s.price : min),
    null as string | null,
  ) ?? row.price;
  return {
    id: String(row.id),
    name: row.name,
    nameEn: row.name_en,
    description: row.description,
    category: row.category_slug,
    categoryName: { zh: row.category_zh, en: row.category_en },
    price: toMoneyString(memberPrice(from, null)),
    memberPrice: toMoneyString(memberPrice(from, viewer?.level ?? null)),
    stock: sellable,
    lowStock: sellable <= row.low_stock_threshold,
    onSale: row.on_sale,
    imageUrl: productImageUrl(row.id, imageVersion(row)),
    brand: row.brand,
    specs: row.specs ?? {},
    featured: row.featured,
    flashSale: row.flash_price && row.flash_ends_at
      ? {
        price: toMoneyString(money(row.flash_price)),
        endsAt: new Date(row.flash_ends_at).toISOString(),
        remaining: null,
        perMemberLimit: row.flash_limit ?? null,
      }
      : null,
    skuAxes: row.sku_axes ?? [],
    skus,
  };
}

/** Lists products for a caller; shoppers see only those on sale, managers see all. */
export async function browseProducts(db: Db, query: z.infer<typeof productQuerySchema>, viewer: UserRow | undefined) {
  const { items, total } = await listProducts(db, {
    q: query.q || undefined,
    category: query.category || undefined,
    sort: query.sort,
    brand: query.brand || undefined,
    minPrice: query.minPrice || undefined,
    maxPrice: query.maxPrice || undefined,
    onSaleOnly: viewer?.role !== "manager",
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: items.map((r) => toProductView(r, viewer)), total };
}

/** One product for a caller; off-shelf products are hidden from everyone but managers. */
export async function getProduct(db: Db, id: string, viewer: UserRow | undefined): Promise<ProductView> {
  const row = await findProduct(db, id);
  if (!row || (!row.on_shelf && viewer?.role !== "manager")) throw fail.notFound("product");
  return toProductView(row, viewer);
}

/** Products a manager marked as featured (on shelf), best sellers first. */
export async function listFeatured(db: Db, viewer: UserRow | undefined, limit = 6): Promise<ProductView[]> {
  const { items } = await listProducts(db, { featured: true, onSaleOnly: true, sort: "popular", limit, offset: 0 });
  return items.map((r) => toProductView(r, viewer));
}

/** The shop home's filter choices: every category and brand. */
export async function shopFilters(db: Db): Promise<{ categories: CategoryRow[]; brands: string[] }> {
  const [categories, brands] = await Promise.all([listCategories(db), listBrands(db)]);
  return { categories, brands };
}

/**
 * `GET /api/categories`: every category in display order, named in the caller's language (`nameZh` and
 * `nameEn` both given), with its parent (null at the top), icon (an emoji) and slug (`?category=` takes it).
 */
export async function categoriesForApi(db: Db, locale: string) {
  const rows = await listCategories(db);
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      slug: r.slug,
      name: locale === "en" && r.name_en ? r.name_en : r.name_zh,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      parentId: r.parent_id === null ? null : String(r.parent_id),
      icon: r.icon,
    })),
  };
}

/**
 * When the shop's pages next change by the clock alone (a flash sale, a shelf time or a scheduled banner or
 * featured block of the home starts or ends), or null.
 */
export async function nextCatalogueChange(db: Db): Promise<Date | null> {
  const [catalogue, home] = await Promise.all([nextScheduledChange(db), nextHomeChange(db)]);
  if (!catalogue || !home) return catalogue ?? home;
  return catalogue < home ? catalogue : home;
}
