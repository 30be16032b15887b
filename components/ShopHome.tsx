import type { z } from "zod";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { browseProducts, listFeatured, productQuerySchema, shopFilters } from "../services/catalogue.ts";
import { ProductCard } from "./ProductCard.tsx";
import { Pager } from "./Pager.tsx";
import { CouponStrip } from "./CouponStrip.tsx";
import { ShopEmpty } from "./ShopEmpty.tsx";
import type { ClaimableCoupon } from "../services/coupons.ts";

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
  /** The viewer is a manager (an empty shop then says where products are added; never a kept page). */
  manager?: boolean;
}

/** The shop home. */
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
    manager,
  }: ShopHomeProps,
) {
  return (
    <>
      <section class="hero">
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
      {coupons && coupons.length > 0 && <CouponStrip coupons={coupons} t={t} locale={locale} csrf={csrf ?? ""} />}
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
      {picks && picks.length > 0 && (
        <section aria-labelledby="picks-title">
          <h2 id="picks-title">{t("home.picks")}</h2>
          <div class="grid products">
            {picks.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
          </div>
        </section>
      )}
      {featured && featured.items.length > 0 && (
        <section aria-labelledby="featured-title">
          <h2 id="featured-title">{t("home.featured")}</h2>
          <div class="grid products">
            {featured.items.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
          </div>
        </section>
      )}
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
