import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import type { Translator } from "../../i18n/messages.ts";
import { renderPage } from "../../lib/render.tsx";
import { Island } from "../../lib/island.tsx";
import { Icon } from "../../components/Icon.tsx";
import { CheckoutSteps } from "../../components/PriceBreakdown.tsx";
import { appConfig } from "../../fresh.config.ts";
import CartView, { type CartViewProps } from "../../islands/CartView.tsx";
import { cartModel, cartProps, readTicked } from "./_model.ts";

const cartQuery = z.object({
  notice: z.enum(["invalid", "stock", "none", "gone"]).optional().catch(undefined),
  sel: z.string().max(2000).optional().catch(undefined),
});

/**
 * `/cart`: the cart priced as checkout prices it (kept for members, in a cookie for visitors), with tick
 * boxes, steppers and the checkout bar; `?notice=` words the outcome of the last change made without script.
 */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const q = cartQuery.parse(c.req.query());
    const model = await cartModel(c, readTicked(q.sel), q.notice);
    const props = model.lines.length ? cartProps(c, model) : undefined;
    return renderPage(c, <CartPage t={t} props={props} signedIn={Boolean(c.get("user"))} notice={model.notice} />, {
      title: t("cart.title"),
    });
  },
};

/** The cart, or a helpful empty state. */
export default function CartPage(
  { t, props, signedIn, notice }: {
    t: Translator;
    props: CartViewProps | undefined;
    signedIn: boolean;
    notice: string | null;
  },
) {
  return (
    <section class={props ? "stack cart-page" : "stack cart-page is-empty"}>
      <CheckoutSteps step={1} t={t} />
      <h1 class="cart-title">{t("cart.title")}</h1>
      {props
        ? (
          <>
            <p class="cart-ship-hint muted">{t("price.freeOver", { amount: appConfig.shop.freeShippingOver })}</p>
            <Island of={CartView} props={props} />
          </>
        )
        : (
          <div class="empty-state cart-empty" data-testid="cart-empty">
            {notice && <div class="alert alert-info" role="status">{notice}</div>}
            <span class="empty-icon" aria-hidden="true">
              <Icon name="cart" size={40} />
            </span>
            <h2>{t("cart.emptyTitle")}</h2>
            <p class="muted">{t("cart.emptyHint")}</p>
            <a class="btn btn-primary" href="/">{t("cart.goShopping")}</a>
            {!signedIn && (
              <p class="muted cart-empty-login">
                <a href="/login?next=/cart">{t("nav.login")}</a> · {t("cart.loginHint")}
              </p>
            )}
          </div>
        )}
    </section>
  );
}
