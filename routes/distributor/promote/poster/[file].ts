import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { fail } from "../../../../lib/errors.ts";
import { toProductView } from "../../../../services/catalogue.ts";
import { posterPng, posterProduct, productLink } from "../../../../services/promote.ts";

/** `/distributor/promote/poster/:productId.png`: the signed-in member's poster for a product. */
export const handler: Handlers = {
  async GET(c) {
    // Always the signed-in member's own poster: the URL names no member, so nobody can ask for another's.
    const user = requireUser(c);
    const id = /^(\d{1,18})\.png$/.exec(c.req.param("file")!)?.[1];
    const row = id ? await posterProduct(c.get("deps").db, id) : undefined;
    if (!row || (!row.on_shelf && user.role !== "manager")) throw fail.notFound("product");
    const t = c.get("t");
    const view = toProductView(row, undefined);
    const png = await posterPng({
      product: row,
      price: view.flashSale?.price ?? view.price,
      oldPrice: view.flashSale ? view.price : undefined,
      link: productLink(new URL(c.req.url).origin, view.id, user.referral_code),
      from: t("promote.poster.from", { name: user.name }),
      scan: t("promote.poster.scan"),
      shopName: t("app.name"),
    });
    return c.body(png, 200, {
      "Content-Type": "image/png",
      "Cache-Control": "private, max-age=300",
      "Vary": "Cookie, Accept-Language",
      "Content-Disposition": `inline; filename="poster-${view.id}.png"`,
    });
  },
};
