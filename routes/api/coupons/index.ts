import type { Handlers } from "../../../lib/fs_router.ts";
import { readQuery } from "../../../lib/http.ts";
import { claimableCoupons, claimableQuerySchema } from "../../../services/coupons.ts";

/** `GET /api/coupons`: coupons that can be claimed now (the shop's 领券 strip); `claimed` for the caller. */
export const handler: Handlers = {
  async GET(c) {
    const query = readQuery(c, claimableQuerySchema);
    const { db, shop } = c.get("deps");
    return c.json(await claimableCoupons(db, c.get("user"), shop.now(), query));
  },
};
