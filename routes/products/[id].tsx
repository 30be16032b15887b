import type { Handlers } from "../../lib/fs_router.ts";
import { renderPage } from "../../lib/render.tsx";
import { getProduct } from "../../services/catalogue.ts";
import { shareEarnings } from "../../services/share_earnings.ts";
import { productLink } from "../../services/promote.ts";
import { productName } from "../../components/ProductCard.tsx";
import { ProductPage, type ProductPageExtras } from "../../components/ProductPage.tsx";

/**
 * `/products/:id`: the product page with its gallery, SKU choices, member price, flash sale, the buy bar
 * (加入购物车 / 立即购买), and for a distributor "分享赚 ¥x" with their share poster.
 */
export const handler: Handlers = {
  async GET(c) {
    const locale = c.get("locale");
    const db = c.get("deps").db;
    const user = c.get("user");
    const p = await getProduct(db, c.req.param("id")!, user);
    const name = productName(p, locale);
    const extras: ProductPageExtras = {};
    const share = await shareEarnings(db, user, p, new Date());
    if (user && share) {
      extras.share = share;
      extras.tools = {
        posterUrl: `/distributor/promote/poster/${p.id}.png`,
        link: productLink(new URL(c.req.url).origin, p.id, user.referral_code),
        toolsUrl: "/distributor/promote",
      };
    }
    const now = c.get("deps").shop.now().toISOString();
    const page = (
      <ProductPage p={p} name={name} t={c.get("t")} locale={locale} csrf={c.get("csrf")} extras={extras} now={now} />
    );
    return renderPage(c, page, { title: name });
  },
};

export { ProductPage as default };
