import { ProductImg } from "../../components/ProductImg.tsx";
import { Fragment } from "preact";
import type { Handlers } from "../../lib/fs_router.ts";
import type { Translator } from "../../i18n/messages.ts";
import type { Locale } from "../../fresh.config.ts";
import { renderPage } from "../../lib/render.tsx";
import { getProduct } from "../../services/catalogue.ts";
import { PostForm } from "../../components/Form.tsx";
import { productName } from "../../components/ProductCard.tsx";
import { Island } from "../../lib/island.tsx";
import SkuPicker from "../../islands/SkuPicker.tsx";

/** `/products/:id`: the product page with specs, member price, flash sale and the add-to-cart form. */
export const handler: Handlers = {
  async GET(c) {
    const locale = c.get("locale");
    const p = await getProduct(c.get("deps").db, c.req.param("id")!, c.get("user"));
    const name = productName(p, locale);
    return renderPage(c, <ProductPage p={p} name={name} t={c.get("t")} locale={locale} csrf={c.get("csrf")} />, {
      title: name,
    });
  },
};

/** The SKU picker's props: the product's axes and SKUs with labels in the reader's language. */
function pickerProps(p: Awaited<ReturnType<typeof getProduct>>, t: Translator) {
  return {
    axes: p.skuAxes,
    skus: p.skus.map((s) => ({
      id: s.id,
      specs: s.specs,
      price: s.price,
      memberPrice: s.memberPrice,
      stock: s.stock,
      lowStock: s.lowStock,
      imageUrl: s.imageUrl,
    })),
    labels: {
      choose: t("product.chooseSku"),
      soldOut: t("product.soldOut"),
      lowStock: t("product.lowStock", { n: "{n}" }),
      inStock: t("product.inStock"),
      stock: t("product.stock"),
      quantity: t("cart.quantity"),
      add: t("cart.add"),
      from: t("product.priceFrom", { price: "{price}" }),
    },
  };
}

/** One product. */
export default function ProductPage(
  { p, name, t, locale, csrf }: {
    p: Awaited<ReturnType<typeof getProduct>>;
    name: string;
    t: Translator;
    locale: Locale;
    csrf: string;
  },
) {
  return (
    <article class="product-page">
      <a href="/" class="back-link">← {t("product.back")}</a>
      <div class="product-layout">
        <ProductImg
          id={p.id}
          imageUrl={p.imageUrl}
          alt={name}
          size={480}
          sizes="(min-width: 768px) 480px, 100vw"
          class="product-hero"
          eager
        />
        <div class="product-info card">
          <p class="muted">{t("product.category")}: {locale === "en" ? p.categoryName.en : p.categoryName.zh}</p>
          <h1>{name}</h1>
          {locale !== "en" && p.nameEn && <p class="muted">{p.nameEn}</p>}
          <div class="price-row big">
            <span class="price">
              {p.skus.some((s) => s.memberPrice !== p.memberPrice)
                ? t("product.priceFrom", { price: p.memberPrice })
                : `¥${p.memberPrice}`}
            </span>
            {p.memberPrice !== p.price && <s class="price-old">¥{p.price}</s>}
          </div>
          <p>
            {t("product.stock")}: {p.stock === 0
              ? <span class="badge badge-muted">{t("product.soldOut")}</span>
              : p.lowStock
              ? <span class="badge badge-warn">{t("product.lowStock", { n: p.stock })}</span>
              : <strong>{t("product.inStock")}</strong>}
          </p>
          {p.flashSale && <p class="badge badge-warn">{t("product.flashSale", { price: p.flashSale.price })}</p>}
          {!p.onSale && <p class="badge badge-muted">{t("product.offShelf")}</p>}
          {p.brand && <p class="muted">{t("product.brand")}: {p.brand}</p>}
          {p.stock > 0 && p.onSale && p.skuAxes.length > 0 && (
            <PostForm action="/cart/set" csrf={csrf} class="add-to-cart add-to-cart-skus">
              <input type="hidden" name="productId" value={p.id} />
              <input type="hidden" name="mode" value="add" />
              <Island of={SkuPicker} props={pickerProps(p, t)} />
            </PostForm>
          )}
          {p.stock > 0 && p.onSale && p.skuAxes.length === 0 && (
            <PostForm action="/cart/set" csrf={csrf} class="add-to-cart">
              <input type="hidden" name="productId" value={p.id} />
              <input type="hidden" name="skuId" value={p.skus[0]?.id ?? ""} />
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
    </article>
  );
}
