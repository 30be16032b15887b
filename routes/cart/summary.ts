import type { Handlers } from "../../lib/fs_router.ts";
import { cartModel, readTicked } from "./_model.ts";

/**
 * `GET /cart/summary?sel=<skuId>,…`: the cart page's data as JSON for the ticked lines (`sel=` is none
 * ticked, no `sel` every line that can be bought), so the page re-prices a selection in the background. Not part of the public API (`/api/cart` is).
 */
export const handler: Handlers = {
  async GET(c) {
    const model = await cartModel(c, readTicked(c.req.query("sel")));
    return c.json(model, 200, { "Cache-Control": "no-store" });
  },
};
