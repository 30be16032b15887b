import type { z } from "zod";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { browseProducts, listFeatured, productQuerySchema, shopFilters } from "../services/catalogue.ts";
import { ProductCard } from "./ProductCard.tsx";
import { Pager } from "./Pager.tsx";
import { CouponStrip } from "./CouponStrip.tsx";
import { ShopEmpty } from "./ShopEmpty.tsx";
import type { ClaimableCoupon } from "../services/coupons.ts";
import type { CategoryEntrance, FlashItem, HomeBanner, HomeBlock } from "../services/shop_home.ts";
import { Icon } from "./Icon.tsx";
import {
  CategoryEntrances,
  FlashStrip,
  HomeBanners,
  HomeBlockSection,
  ProductRow,
  SectionHead,
} from "./HomeSections.tsx";

/** What the unfiltered first page adds: the arranged banners and blocks, entrances and flash sales. */
export interface HomeArrangement {
  banners: HomeBanner[];
  blocks: HomeBlock[];
  entrances: CategoryEntrance[];
  flash: FlashItem[];
}

type Listing = Awaited<ReturnType<typeof browseProducts>>;

/** What the shop home shows. */
export interface ShopHomeProps {
  t: Translator;
  locale: Locale;
  query: z.infer<typeof productQuerySchema>;
  heading: string;
  filtered: boolean;
  categories: Awaited<ReturnType<typeof shopFilters>>["categories"];
  brands: string[];
  result: Listing;
  /** This week's picks. */
  picks: Awaited<ReturnType<typeof listFeatured>> | null;
  /** Best sellers (the first page only). */
  featured: Listing | null;
  baseQuery: Record<string, string>;
  /** Claimable coupons for the 领券 strip (the unfiltered first page only). */
  coupons?: ClaimableCoupon[] | null;
  /** The CSRF token of the claim forms. */
  csrf?: string;
  /** The arranged home (the unfiltered first page only). */
  home?: HomeArrangement | null;
  /** The viewer is a manager (an empty shop then says where products are added; never a kept page). */
  manager?: boolean;
}

/**
 * The shop home. The unfiltered first page is the mall's front: the search band, the banner carousel, the
 * category entrances, the 领券 strip, the flash-sale strip, the featured blocks arranged in the console,
 * this week's picks and the best sellers, then every product. Filtered pages (category, search, filters,
 * later pages) are the list with category chips and the open filter form.
 */
export function ShopHome(
  {
    t,
    locale,
    query,
    heading,
    filtered,
    categories,
    brands,
    result,
    picks,
    featured,
    baseQuery,
    coupons,
    csrf,
    home,
    manager,
  }: ShopHomeProps,
) {
  const banners = home?.banners.length ? home.banners : [];
  return (
    <>
      <section class={banners.length ? "hero hero-home with-banners" : home ? "hero hero-home" : "hero"}>
        <h1>{heading}</h1>
        <form class="search" action="/" method="get" role="search">
          <input
            type="search"
            name="q"
            value={query.q ?? ""}
            placeholder={t("search.placeholder")}
            aria-label={t("search.button")}
            maxLength={100}
          />
          {query.category && <input type="hidden" name="category" value={query.category} />}
          <button class="btn btn-primary" type="submit">{t("search.button")}</button>
        </form>
      </section>
      {home
        ? (
          <>
            <HomeBanners banners={banners} t={t} />
            <CategoryEntrances entrances={home.entrances} t={t} />
          </>
        )
        : (
          <nav class="chips" aria-label={t("nav.categories")}>
            <a href="/" class={!query.category ? "chip active" : "chip"}>{t("home.all")}</a>
            {categories.map((cat) => (
              <a
                href={`/?category=${encodeURIComponent(cat.slug)}`}
                class={query.category === cat.slug ? "chip active" : "chip"}
              >
                {locale === "en" ? cat.name_en : cat.name_zh}
              </a>
            ))}
          </nav>
        )}
      {coupons && coupons.length > 0 && <CouponStrip coupons={coupons} t={t} locale={locale} csrf={csrf ?? ""} />}
      {home && <FlashStrip items={home.flash} t={t} locale={locale} />}
      {home?.blocks.map((b) => <HomeBlockSection key={b.id} block={b} t={t} locale={locale} />)}
      {picks && picks.length > 0 && (
        <section class="home-section" aria-labelledby="picks-title">
          <SectionHead id="picks-title" title={t("home.picks")} icon="star" t={t} />
          <ProductRow products={picks} t={t} locale={locale} />
        </section>
      )}
      {featured && featured.items.length > 0 && (
        <section class="home-section" aria-labelledby="featured-title">
          <SectionHead id="featured-title" title={t("home.featured")} icon="flame" more="/?sort=popular" t={t} />
          <div class="grid products">
            {featured.items.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
          </div>
        </section>
      )}
      <details class="filter-panel" open={filtered || undefined}>
        <summary>
          <Icon name="funnel" size={16} />
          {t("hm.filters")}
        </summary>
        <Filters t={t} query={query} brands={brands} />
      </details>
      {/* Always an h2 above the cards' h3s; shown only under the featured section, as before. */}
      <section aria-labelledby="results-title">
        <h2 id="results-title" class={featured && featured.items.length > 0 ? undefined : "sr-only"}>
          {filtered ? t("home.results") : t("home.all")}
        </h2>
        {result.items.length === 0
          ? <ShopEmpty t={t} query={query} filtered={filtered} manager={manager} />
          : (
            <div class="grid products">
              {result.items.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
            </div>
          )}
      </section>
      <Pager page={query.page} pageSize={24} total={result.total} baseQuery={baseQuery} t={t} />
    </>
  );
}

/** The price, brand and sort filters of the product list. */
function Filters(
  { t, query, brands }: { t: Translator; query: ShopHomeProps["query"]; brands: string[] },
) {
  return (
    <form class="filters" method="get" action="/">
      {query.q && <input type="hidden" name="q" value={query.q} />}
      {query.category && <input type="hidden" name="category" value={query.category} />}
      <label>
        {t("filter.min")}
        <input type="number" name="minPrice" min="0" step="0.01" value={query.minPrice ?? ""} inputMode="decimal" />
      </label>
      <label>
        {t("filter.max")}
        <input type="number" name="maxPrice" min="0" step="0.01" value={query.maxPrice ?? ""} inputMode="decimal" />
      </label>
      {brands.length > 0 && (
        <label>
          {t("filter.brand")}
          <select name="brand">
            <option value="">—</option>
            {brands.map((b) => <option key={b} value={b} selected={query.brand === b}>{b}</option>)}
          </select>
        </label>
      )}
      <label>
        {t("filter.sort")}
        <select name="sort">
          {(["popular", "newest", "price_asc", "price_desc"] as const).map((s) => (
            <option key={s} value={s} selected={(query.sort ?? "popular") === s}>{t(`sort.${s}`)}</option>
          ))}
        </select>
      </label>
      <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
    </form>
  );
}
