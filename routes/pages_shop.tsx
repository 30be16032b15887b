import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";
import { readQuery } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { browseProducts, getProduct, productQuerySchema } from "../services/catalogue.ts";
import { listCategories } from "../db/products_repo.ts";
import { ProductCard, productName } from "../components/ProductCard.tsx";
import { Pager } from "../components/Pager.tsx";

/** Shop pages: home with search and categories, and the product page. No JavaScript. */
export const pagesShop = new Hono<AppEnv>()
  .get("/", async (c) => {
    const t = c.get("t");
    const locale = c.get("locale");
    const query = readQuery(c, productQuerySchema);
    const db = c.get("deps").db;
    const [categories, result] = await Promise.all([
      listCategories(db),
      browseProducts(db, { ...query, pageSize: 24 }, c.get("user")),
    ]);
    const baseQuery: Record<string, string> = {};
    if (query.q) baseQuery.q = query.q;
    if (query.category) baseQuery.category = query.category;
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
        {result.items.length === 0
          ? <p class="empty-state">{query.q ? t("search.none") : t("home.empty")}</p>
          : (
            <div class="grid products">
              {result.items.map((p) => <ProductCard key={p.id} p={p} t={t} locale={locale} />)}
            </div>
          )}
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
              {t("product.stock")}: <strong>{p.stock}</strong>{" "}
              {p.stock === 0
                ? <span class="badge badge-muted">{t("product.soldOut")}</span>
                : p.lowStock && <span class="badge badge-warn">{t("product.lowStock", { n: p.stock })}</span>}
            </p>
            {!p.onSale && <p class="badge badge-muted">{t("product.offShelf")}</p>}
            <p class="description">{p.description}</p>
          </div>
        </div>
      </article>,
      { title: name },
    );
  });
