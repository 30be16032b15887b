import type { Handlers } from "../../lib/fs_router.ts";
import { categoriesForApi } from "../../services/catalogue.ts";

/** `GET /api/categories`: every category with its parent, icon and slug, named in the caller's language. */
export const handler: Handlers = {
  async GET(c) {
    return c.json(await categoriesForApi(c.get("deps").db, c.get("locale")));
  },
};
