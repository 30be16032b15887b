import type { Handlers } from "../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../lib/http.ts";
import { claimCoupon, claimRefusal, couponCodeSchema } from "../../../services/coupons.ts";

/**
 * `POST /coupons/:code/claim`: the 领券 strip's claim button without JavaScript. A visitor logs in first
 * (and comes back to the shop); a member lands on `/account/coupons` with the outcome.
 */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form, { visitorSameOrigin: true }); // kept shop pages carry no token for visitors
    const member = c.get("user");
    if (!member) return c.redirect(`/login?next=${encodeURIComponent("/")}`, 303);
    const code = couponCodeSchema.safeParse(c.req.param("code") ?? "");
    if (!code.success) return c.redirect("/account/coupons?refused=not_found", 303);
    try {
      const coupon = await claimCoupon(c.get("deps").db, member, code.data, c.get("deps").shop.now());
      return c.redirect(`/account/coupons?claimed=${encodeURIComponent(coupon.code)}`, 303);
    } catch (err) {
      const reason = claimRefusal(err);
      if (!reason) throw err;
      return c.redirect(`/account/coupons?refused=${reason}`, 303);
    }
  },
};
