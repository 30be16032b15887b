import type { Handlers } from "../../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../../lib/http.ts";
import { updateAddress } from "../../../../services/address_book.ts";

/** `POST /account/addresses/:id/default`: makes one of the member's addresses the default (404 for anyone else's). */
export const handler: Handlers = {
  async POST(c) {
    checkCsrf(c, await readForm(c));
    const { db, box } = c.get("deps");
    await updateAddress(db, box, String(c.get("user")!.id), c.req.param("id")!, { isDefault: true });
    return c.redirect("/account/addresses?done=default", 303);
  },
};
