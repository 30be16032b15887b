import type { ProductView } from "../services/catalogue.ts";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import { ProductImg } from "./ProductImg.tsx";

/** The display name of a product in a locale (falls back to the Chinese name). */
export function productName(p: ProductView, locale: Locale): string {
  return locale === "en" && p.nameEn ? p.nameEn : p.name;
}

/** A product tile for grids. Its name is an h3, so put the grid under an h2 (visually hidden if need be). */
export function ProductCard({ p, t, locale }: { p: ProductView; t: Translator; locale: Locale }) {
  const discounted = p.memberPrice !== p.price;
  return (
    <a class="card product-card" href={`/products/${p.id}`}>
      <ProductImg
        id={p.id}
        imageUrl={p.imageUrl}
        size={320}
        sizes="(min-width: 1024px) 220px, (min-width: 600px) 33vw, 50vw"
        class="product-img"
      />
      <div class="product-body">
        <h3 class="product-name">{productName(p, locale)}</h3>
        <div class="price-row">
          <span class="price">¥{p.memberPrice}</span>
          {discounted && <s class="price-old">¥{p.price}</s>}
        </div>
        {p.stock === 0
          ? <span class="badge badge-muted">{t("product.soldOut")}</span>
          : p.lowStock && <span class="badge badge-warn">{t("product.lowStock", { n: p.stock })}</span>}
      </div>
    </a>
  );
}
