import type { Handlers } from "../lib/fs_router.ts";
import { readQuery } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { browseProducts, listFeatured, productQuerySchema, shopFilters } from "../services/catalogue.ts";
import { ShopHome } from "../components/ShopHome.tsx";
import { claimableCoupons } from "../services/coupons.ts";
import { categoryEntrances, flashSalesSoon, liveArrangement } from "../services/shop_home.ts";

/**
 * `/`: the shop home. The unfiltered first page is the mall's front (banners and featured blocks as
 * arranged in the console, category entrances, 领券, flash sales with countdowns, picks, best sellers);
 * with a search or filters it is the product list. JavaScript only for the carousel and the countdowns.
 */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const query = readQuery(c, productQuerySchema);
    const db = c.get("deps").db;
    const filtered = Boolean(
      query.q || query.category || query.brand || query.minPrice || query.maxPrice || query.sort,
    );
    const first = !filtered && query.page === 1;
    const user = c.get("user");
    const [{ categories, brands }, result, featured, picks, coupons, arranged, flash] = await Promise.all([
      shopFilters(db),
      browseProducts(db, { ...query, pageSize: 24 }, c.get("user")),
      filtered || query.page > 1
        ? Promise.resolve(null)
        : browseProducts(db, { page: 1, pageSize: 6, sort: "popular" }, c.get("user")),
      filtered || query.page > 1 ? Promise.resolve(null) : listFeatured(db, c.get("user")),
      // Per member: what they hold says 已领取, 新人专享 only for new members (kept per level and coupon state).
      first ? claimableCoupons(db, user, c.get("deps").shop.now(), { page: 1, pageSize: 10 }) : null,
      first ? liveArrangement(db, user, c.get("locale")) : null,
      first ? flashSalesSoon(db, user) : null,
    ]);
    const home = arranged && flash
      ? { ...arranged, flash, entrances: categoryEntrances(categories, c.get("locale")) }
      : null;
    const baseQuery: Record<string, string> = {};
    for (const key of ["q", "category", "brand", "minPrice", "maxPrice", "sort"] as const) {
      if (query[key]) baseQuery[key] = String(query[key]);
    }
    const heading = query.q ? t("search.results", { q: query.q }) : t("home.title");
    const props = { t, locale: c.get("locale"), query, heading, filtered, categories, brands, result, baseQuery };
    const page = (
      <ShopHome
        {...props}
        featured={featured}
        picks={picks}
        coupons={coupons?.items}
        csrf={c.get("csrf")}
        home={home}
        manager={c.get("user")?.role === "manager"}
      />
    );
    return renderPage(c, page, { title: heading });
  },
};

export default ShopHome;
