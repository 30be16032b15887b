import type { Handlers } from "../../../lib/fs_router.ts";
import { readQuery, requireUser } from "../../../lib/http.ts";
import { myCoupons, myCouponsQuerySchema, myCouponsTab } from "../../../services/coupons.ts";

/** `GET /api/me/coupons?usable=true`: the coupons the caller has claimed (`status=usable|used|expired`). */
export const handler: Handlers = {
  async GET(c) {
    const member = requireUser(c);
    const query = readQuery(c, myCouponsQuerySchema);
    const { db, shop } = c.get("deps");
    return c.json(await myCoupons(db, String(member.id), shop.now(), { ...query, tab: myCouponsTab(query) }));
  },
};
