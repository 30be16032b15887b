import { ProductImg } from "../../components/ProductImg.tsx";
import type { Handlers } from "../../lib/fs_router.ts";
import type { Translator } from "../../i18n/messages.ts";
import type { Locale } from "../../fresh.config.ts";
import { renderPage } from "../../lib/render.tsx";
import { currentCart } from "../../lib/cart_cookie.ts";
import { toMoneyString } from "../../domain/money.ts";
import { specsLabel } from "../../domain/catalogue/skus.ts";
import { pricedCart, quoteBreakdown } from "../../services/cart.ts";
import { CheckoutSteps, PriceBreakdown } from "../../components/PriceBreakdown.tsx";
import { PostForm } from "../../components/Form.tsx";
import { appConfig } from "../../fresh.config.ts";

/** `/cart`: the cart, priced as checkout prices it (kept for members, in a cookie for visitors). */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const cart = await pricedCart(c.get("deps").db, c.get("user"), await currentCart(c), { now: new Date() });
    const props = { cart, t, locale: c.get("locale"), csrf: c.get("csrf"), signedIn: Boolean(c.get("user")) };
    return renderPage(c, <CartPage {...props} />, { title: t("cart.title") });
  },
};

/** The cart with quantity forms and the price breakdown. */
export default function CartPage(
  { cart, t, locale, csrf, signedIn }: {
    cart: Awaited<ReturnType<typeof pricedCart>>;
    t: Translator;
    locale: Locale;
    csrf: string;
    signedIn: boolean;
  },
) {
  const unitPrice = new Map(cart.quote?.price.lines.map((l) => [l.skuId, toMoneyString(l.unitPrice)]) ?? []);
  return (
    <section class={cart.lines.length ? "stack cart-layout" : "stack"}>
      <CheckoutSteps step={1} t={t} />
      <h1>{t("cart.title")}</h1>
      {cart.lines.length === 0
        ? (
          <p class="empty-state">
            {t("cart.empty")} <a href="/">{t("error.home")}</a>
          </p>
        )
        : (
          <>
            <ul class="cart-lines card">
              {cart.lines.map((l) => {
                const name = locale === "en" && l.product.name_en ? l.product.name_en : l.product.name;
                return (
                  <li key={l.skuId} class="cart-line cart-line-edit">
                    <ProductImg id={l.productId} size={64} />
                    <div class="cart-line-main">
                      <a href={`/products/${l.productId}`}>{name}</a>
                      {Object.keys(l.product.specs ?? {}).length > 0 && (
                        <span class="sku-specs" data-testid="cart-specs">{specsLabel(l.product.specs)}</span>
                      )}
                      <span class="price">¥{unitPrice.get(l.skuId) ?? l.product.price}</span>
                      {l.product.sellable < l.quantity && (
                        <span class="badge badge-warn">{t("product.lowStock", { n: l.product.sellable })}</span>
                      )}
                    </div>
                    <PostForm action="/cart/set" csrf={csrf} class="inline-form">
                      <input type="hidden" name="productId" value={l.productId} />
                      <input type="hidden" name="skuId" value={l.skuId} />
                      <label class="sr-only" for={`q-${l.skuId}`}>{t("cart.quantityOf", { name })}</label>
                      <input
                        id={`q-${l.skuId}`}
                        class="qty"
                        type="number"
                        name="quantity"
                        min="0"
                        max="99"
                        value={String(l.quantity)}
                      />
                      <button class="btn btn-ghost btn-sm" type="submit" aria-label={t("cart.updateOf", { name })}>
                        {t("cart.update")}
                      </button>
                    </PostForm>
                    <PostForm action="/cart/set" csrf={csrf} class="inline-form">
                      <input type="hidden" name="productId" value={l.productId} />
                      <input type="hidden" name="skuId" value={l.skuId} />
                      <input type="hidden" name="quantity" value="0" />
                      <button class="btn btn-ghost btn-sm" type="submit" aria-label={t("cart.removeOf", { name })}>
                        {t("cart.remove")}
                      </button>
                    </PostForm>
                  </li>
                );
              })}
            </ul>
            {cart.quote && (
              <div class="card">
                <PriceBreakdown b={quoteBreakdown(cart.quote)} t={t} />
                <p class="muted">{t("price.freeOver", { amount: appConfig.shop.freeShippingOver })}</p>
                <a
                  class="btn btn-primary btn-block"
                  data-testid="checkout"
                  href={signedIn ? "/checkout" : "/login?next=/checkout"}
                >
                  {t("cart.checkout")}
                </a>
              </div>
            )}
          </>
        )}
    </section>
  );
}
