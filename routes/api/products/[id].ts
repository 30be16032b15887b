import type { Handlers } from "../../../lib/fs_router.ts";
import { getProduct } from "../../../services/catalogue.ts";

/** `GET /api/products/:id`. */
export const handler: Handlers = {
  async GET(c) {
    const product = await getProduct(c.get("deps").db, c.req.param("id")!, c.get("user"));
    return c.json({ product });
  },
};
