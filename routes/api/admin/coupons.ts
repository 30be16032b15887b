import type { Handlers } from "../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../lib/http.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { couponInputSchema, createCoupon } from "../../../services/catalogue_admin.ts";

/** `POST /api/admin/coupons`. */
export const handler: Handlers = {
  POST: [requirePermission("coupons.write"), async (c) => {
    const input = await readJson(c, couponInputSchema);
    const coupon = await createCoupon(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ coupon }, 201);
  }],
};
