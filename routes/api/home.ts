import type { Handlers } from "../../lib/fs_router.ts";
import { homeForApi } from "../../services/shop_home.ts";

/**
 * `GET /api/home`: the shop home for apps and mini-programs: banners, category entrances, flash sales
 * (absolute times and `serverTime`) and featured blocks with this caller's prices.
 */
export const handler: Handlers = {
  async GET(c) {
    return c.json(await homeForApi(c.get("deps").db, c.get("user"), c.get("locale")));
  },
};
