import type { Handlers } from "../../../lib/fs_router.ts";
import { readQuery } from "../../../lib/http.ts";
import { browseProducts, productQuerySchema } from "../../../services/catalogue.ts";

/** `GET /api/products?q=&category=&page=`: the catalogue with this caller's prices. */
export const handler: Handlers = {
  async GET(c) {
    const query = readQuery(c, productQuerySchema);
    return c.json(await browseProducts(c.get("deps").db, query, c.get("user")));
  },
};
