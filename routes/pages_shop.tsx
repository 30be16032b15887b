import { Hono } from "hono";
import { Fragment } from "preact";
import type { AppEnv } from "../lib/app_env.ts";
import { readQuery } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { browseProducts, getProduct, listFeatured, productQuerySchema } from "../services/catalogue.ts";
import { listBrands, listCategories } from "../db/products_repo.ts";
import { PostForm } from "../components/Form.tsx";
import { ProductCard, productName } from "../components/ProductCard.tsx";
import { Pager } from "../components/Pager.tsx";

/** Shop pages: home with search and categories, and the product page. No JavaScript. */
export const pagesShop = new Hono<AppEnv>()
  .get("/", async (c) => {
    const t = c.get("t");
    const locale = c.get("locale");
    const query = readQuery(c, productQuerySchema);
    const db = c.get("deps").db;
    const filtered = Boolean(
      query.q || query.category || query.brand || query.minPrice || query.maxPrice || query.sort,
    );
    const [categories, brands, result, featured, picks] = await Promise.all([
      listCategories(db),
      listBrands(db),
      browseProducts(db, { ...query, pageSize: 24 }, c.get("user")),
      filtered || query.page > 1
        ? Promise.resolve(null)
        : browseProducts(db, { page: 1, pageSize: 6, sort: "popular" }, c.get("user")),
      filtered || query.page > 1 ? Promise.resolve(null) : listFeatured(db, c.get("user")),
    ]);
    const baseQuery: Record<string, string> = {};
    for (const key of ["q", "category", "brand", "minPrice", "maxPrice", "sort"] as const) {
      if (query[key]) baseQuery[key] = String(query[key]);
    }
    const heading = query.q ? t("search.results", { q: query.q }) : t("home.title");
    return renderPage(
      c,
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
            ? <p class="empty-state">{query.q ? t("search.none") : t("home.empty")}</p>
            : (
              <div class="grid products">
                {result.items.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
              </div>
            )}
        </section>
        <Pager page={query.page} pageSize={24} total={result.total} baseQuery={baseQuery} t={t} />
      </>,
      { title: heading },
    );
  })
  .get("/products/:id", async (c) => {
    const t = c.get("t");
    const locale = c.get("locale");
    const p = await getProduct(c.get("deps").db, c.req.param("id"), c.get("user"));
    const name = productName(p, locale);
    return renderPage(
      c,
      <article class="product-page">
        <a href="/" class="back-link">← {t("product.back")}</a>
        <div class="product-layout">
          <img src={p.imageUrl} alt={name} width="480" height="480" class="product-hero" />
          <div class="product-info card">
            <p class="muted">{t("product.category")}: {locale === "en" ? p.categoryName.en : p.categoryName.zh}</p>
            <h1>{name}</h1>
            {locale !== "en" && p.nameEn && <p class="muted">{p.nameEn}</p>}
            <div class="price-row big">
              <span class="price">¥{p.memberPrice}</span>
              {p.memberPrice !== p.price && <s class="price-old">¥{p.price}</s>}
            </div>
            <p>
              {t("product.stock")}:{" "}
              {p.stock === 0
                ? <span class="badge badge-muted">{t("product.soldOut")}</span>
                : p.lowStock
                ? <span class="badge badge-warn">{t("product.lowStock", { n: p.stock })}</span>
                : <strong>{t("product.inStock")}</strong>}
            </p>
            {p.flashSale && <p class="badge badge-warn">{t("product.flashSale", { price: p.flashSale.price })}</p>}
            {!p.onSale && <p class="badge badge-muted">{t("product.offShelf")}</p>}
            {p.brand && <p class="muted">{t("product.brand")}: {p.brand}</p>}
            {p.stock > 0 && p.onSale && (
              <PostForm action="/cart/set" csrf={c.get("csrf")} class="add-to-cart">
                <input type="hidden" name="productId" value={p.id} />
                <input type="hidden" name="mode" value="add" />
                <label class="sr-only" for="qty">{t("cart.quantity")}</label>
                <input
                  id="qty"
                  class="qty"
                  type="number"
                  name="quantity"
                  min="1"
                  max={String(p.lowStock ? Math.min(99, p.stock) : 99)}
                  value="1"
                />
                <button class="btn btn-primary" type="submit" data-testid="add-to-cart">{t("cart.add")}</button>
              </PostForm>
            )}
            <p class="description">{p.description}</p>
            {Object.keys(p.specs).length > 0 && (
              <dl class="facts">
                {Object.entries(p.specs).map(([k, v]) => (
                  <Fragment key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </Fragment>
                ))}
              </dl>
            )}
          </div>
        </div>
      </article>,
      { title: name },
    );
  });
