import type { Handlers } from "../../lib/fs_router.ts";
import { readJson } from "../../lib/http.ts";
import { currentCart, setCartLines } from "../../lib/cart_cookie.ts";
import { cartPutSchema, cartView, pricedCart, resolveCartChanges } from "../../services/cart.ts";

/**
 * `GET /api/cart`: the caller's cart priced as checkout prices it (kept for members, in a cookie for visitors);
 * `PUT /api/cart`: sets lines by product and SKU (`skuId` may be left out for a single-SKU product; 0 removes).
 */
export const handler: Handlers = {
  async GET(c) {
    const db = c.get("deps").db;
    return c.json(cartView(await pricedCart(db, c.get("user"), await currentCart(c), { now: new Date() }), c.get("t")));
  },
  async PUT(c) {
    const db = c.get("deps").db;
    const input = await readJson(c, cartPutSchema);
    const lines = await setCartLines(c, await resolveCartChanges(db, input.items));
    return c.json(cartView(await pricedCart(db, c.get("user"), lines, { now: new Date() }), c.get("t")));
  },
};
