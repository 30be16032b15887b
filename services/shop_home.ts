/**
 * The shop home as shoppers see it: the banners and featured blocks that are shown now (arranged in the
 * console, `services/home_arrangement.ts`), the category entrances and the flash-sale strip (sales
 * running now or starting within a day). The page and `GET /api/home` read the same model, so a
 * mini-program can render the home from the API alone. Times are absolute instants: the page's
 * countdowns are computed in the browser, so a kept copy of the page stays right.
 */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { type CategoryRow, listCategories, listProducts } from "../db/products_repo.ts";
import type { Locale } from "../fresh.config.ts";
import type { BlockSource, HomeIcon, LinkKind } from "../domain/catalogue/home.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { type ProductView, toProductView } from "./catalogue.ts";
import { type BannerPicture, type BlockView, liveArrangementRows } from "./home_arrangement.ts";
import { categoryArt, imageVersion, isUploadedVersion, productImageUrl } from "../components/product_image.ts";

/** A banner as the home shows it, in the visitor's language. */
export interface HomeBanner {
  id: string;
  title: string;
  subtitle: string;
  link: { kind: LinkKind; target: string };
  /** The shop URL a tap opens. */
  href: string;
  theme: string;
  icon: HomeIcon;
  /** The uploaded picture (WebP variants), or null for the generated art. */
  picture: BannerPicture | null;
}

/** A featured block as the home shows it: its title and its products (on shelf) in order. */
export interface HomeBlock {
  id: string;
  title: string;
  subtitle: string;
  icon: HomeIcon;
  source: BlockSource;
  /** The product list behind a "more" link, or null for a hand-picked block. */
  moreHref: string | null;
  products: ProductView[];
}

/** A flash sale on the strip: the product, its sale price and the sale's absolute times. */
export interface FlashItem {
  product: ProductView;
  /** The sale price (decimal string). */
  price: string;
  startsAt: string;
  endsAt: string;
  /** Whether it runs now (at the time of reading) or starts later. */
  phase: "running" | "upcoming";
  perMemberLimit: number | null;
}

/** A category entrance: the category's slug, name and the link to its list. */
export interface CategoryEntrance {
  id: string;
  slug: string;
  name: string;
  href: string;
}

const pick = (locale: Locale, zh: string, en: string) => (locale === "en" && en ? en : zh);

/** The products of one block for a viewer, on shelf, at most the block's limit. */
async function blockProducts(db: Db, b: BlockView, viewer: UserRow | undefined): Promise<ProductView[]> {
  const base = { onSaleOnly: true, offset: 0 };
  if (b.source === "chosen") {
    const { items } = await listProducts(db, { ...base, ids: b.productIds, limit: 20 });
    const byId = new Map(items.map((r) => [String(r.id), r]));
    return b.productIds.flatMap((id) => byId.get(id) ?? []).slice(0, b.limit).map((r) => toProductView(r, viewer));
  }
  const { items } = await listProducts(db, {
    ...base,
    limit: b.limit,
    sort: b.source === "newest" ? "newest" : "popular",
    category: b.source === "category" ? b.category ?? "" : undefined,
  });
  return items.map((r) => toProductView(r, viewer));
}

function moreHref(b: BlockView): string | null {
  if (b.source === "newest") return "/?sort=newest";
  if (b.source === "bestsellers") return "/?sort=popular";
  if (b.source === "category" && b.category) return `/?category=${encodeURIComponent(b.category)}`;
  return null;
}

/**
 * The banners and featured blocks shown now, in the visitor's language; a block without any product on
 * shelf is left out.
 */
export async function liveArrangement(
  db: Db,
  viewer: UserRow | undefined,
  locale: Locale,
): Promise<{ banners: HomeBanner[]; blocks: HomeBlock[] }> {
  const rows = await liveArrangementRows(db);
  const banners = rows.banners.map((b): HomeBanner => ({
    id: b.id,
    title: pick(locale, b.title, b.titleEn),
    subtitle: pick(locale, b.subtitle, b.subtitleEn),
    link: { kind: b.linkKind, target: b.linkTarget },
    href: b.href,
    theme: b.theme,
    icon: b.icon,
    picture: b.picture,
  }));
  const blocks = await Promise.all(rows.blocks.map(async (b): Promise<HomeBlock> => ({
    id: b.id,
    title: pick(locale, b.title, b.titleEn),
    subtitle: pick(locale, b.subtitle, b.subtitleEn),
    icon: b.icon,
    source: b.source,
    moreHref: moreHref(b),
    products: await blockProducts(db, b, viewer),
  })));
  return { banners, blocks: blocks.filter((b) => b.products.length > 0) };
}

/**
 * Flash sales running now or starting within `hours`, for products on shelf: one per product (a running
 * one first, then the lowest price), those running first and ending soonest, then the next to start.
 */
export async function flashSalesSoon(
  db: Db,
  viewer: UserRow | undefined,
  options: { hours?: number; limit?: number } = {},
): Promise<FlashItem[]> {
  const { hours = 24, limit = 10 } = options;
  const sales = await db.query<
    {
      product_id: string;
      price: string;
      starts_at: Date;
      ends_at: Date;
      per_person_limit: number | null;
      running: boolean;
    }
  >(
    `SELECT * FROM (
       SELECT DISTINCT ON (pr.product_id) pr.product_id::text AS product_id, pr.price::text AS price, pr.starts_at,
              pr.ends_at, pr.per_person_limit, pr.starts_at <= now() AS running
         FROM promotions pr JOIN products p ON p.id = pr.product_id
        WHERE pr.ends_at > now() AND pr.starts_at < now() + make_interval(hours => $1)
          AND p.archived_at IS NULL AND p.on_sale
          AND (p.on_shelf_at IS NULL OR p.on_shelf_at <= now()) AND (p.off_shelf_at IS NULL OR p.off_shelf_at > now())
        ORDER BY pr.product_id, (pr.starts_at <= now()) DESC, pr.price, pr.ends_at) s
     ORDER BY running DESC, CASE WHEN running THEN ends_at ELSE starts_at END, product_id
     LIMIT $2`,
    [hours, limit],
  );
  if (!sales.length) return [];
  const { items } = await listProducts(db, {
    ids: sales.map((s) => s.product_id),
    onSaleOnly: true,
    limit: sales.length,
    offset: 0,
  });
  const byId = new Map(items.map((r) => [String(r.id), r]));
  return sales.flatMap((s): FlashItem[] => {
    const row = byId.get(s.product_id);
    if (!row) return [];
    return [{
      product: toProductView(row, viewer),
      price: toMoneyString(money(s.price)),
      startsAt: new Date(s.starts_at).toISOString(),
      endsAt: new Date(s.ends_at).toISOString(),
      phase: s.running ? "running" : "upcoming",
      perMemberLimit: s.per_person_limit,
    }];
  });
}

/** The category entrances: the top-level categories in display order, named in the visitor's language. */
export function categoryEntrances(categories: CategoryRow[], locale: Locale): CategoryEntrance[] {
  return categories.filter((c) => c.parent_id === null).map((c) => ({
    id: String(c.id),
    slug: c.slug,
    name: pick(locale, c.name_zh, c.name_en),
    href: `/?category=${encodeURIComponent(c.slug)}`,
  }));
}

/**
 * `GET /api/home`: everything the home shows besides the coupon strip (`GET /api/coupons`) and the product
 * list (`GET /api/products`), for a mini-program to render it: banners, category entrances (with the
 * icon name of the shop's icon set and the category's emoji), flash sales with absolute times (count
 * down against `serverTime` to correct a phone's clock) and featured blocks with this caller's prices.
 */
export async function homeForApi(db: Db, viewer: UserRow | undefined, locale: Locale) {
  const [{ banners, blocks }, flash, categories] = await Promise.all([
    liveArrangement(db, viewer, locale),
    flashSalesSoon(db, viewer),
    listCategories(db),
  ]);
  const emoji = new Map(categories.map((c) => [c.slug, c.icon]));
  return {
    serverTime: new Date().toISOString(),
    banners: banners.map((b) => ({
      id: b.id,
      title: b.title,
      subtitle: b.subtitle,
      link: { ...b.link, href: b.href },
      art: { theme: b.theme, icon: b.icon },
      imageUrl: b.picture?.src ?? null,
    })),
    categories: categoryEntrances(categories, locale).map((c) => ({
      ...c,
      icon: categoryArt(c.slug).icon,
      emoji: emoji.get(c.slug) ?? null,
    })),
    flashSales: flash.map((f) => ({
      productId: f.product.id,
      name: locale === "en" && f.product.nameEn ? f.product.nameEn : f.product.name,
      imageUrl: f.product.imageUrl,
      price: f.price,
      originalPrice: f.product.price,
      startsAt: f.startsAt,
      endsAt: f.endsAt,
      phase: f.phase,
      perMemberLimit: f.perMemberLimit,
    })),
    blocks: blocks.map((b) => ({
      id: b.id,
      title: b.title,
      subtitle: b.subtitle,
      icon: b.icon,
      source: b.source,
      moreHref: b.moreHref,
      products: b.products,
    })),
  };
}

/** A product the console's block form offers: its name, price and a small picture. */
export interface ProductChoice {
  id: string;
  name: string;
  price: string;
  category: string;
  thumb: string;
}

/**
 * The products a featured block may show (not archived, best sellers first, at most 300), with a
 * thumbnail URL (the 160 px WebP of an uploaded picture, else the drawn art).
 */
export async function productChoices(db: Db): Promise<ProductChoice[]> {
  const { items } = await listProducts(db, { sort: "popular", limit: 300, offset: 0 });
  return items.map((r) => {
    const version = imageVersion(r);
    return {
      id: String(r.id),
      name: r.name,
      price: toProductView(r, undefined).price,
      category: r.category_zh,
      thumb: isUploadedVersion(version) ? productImageUrl(r.id, version, 160) : productImageUrl(r.id, version),
    };
  });
}
