import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { parseInput } from "../../../../lib/validate.ts";
import { claimCoupon, couponCodeSchema } from "../../../../services/coupons.ts";
import { z } from "zod";

const params = z.object({ code: couponCodeSchema });

/** `POST /api/coupons/:code/claim`: the caller collects a claimable coupon (201); twice is 409. */
export const handler: Handlers = {
  async POST(c) {
    const member = requireUser(c);
    const { code } = parseInput(params, { code: c.req.param("code") ?? "" });
    const { db, shop } = c.get("deps");
    return c.json({ coupon: await claimCoupon(db, member, code, shop.now()) }, 201);
  },
};
