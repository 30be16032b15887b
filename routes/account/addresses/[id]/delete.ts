import type { Handlers } from "../../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../../lib/http.ts";
import { deleteAddress } from "../../../../services/address_book.ts";

/** `POST /account/addresses/:id/delete`: deletes one of the member's addresses (404 for anyone else's). */
export const handler: Handlers = {
  async POST(c) {
    checkCsrf(c, await readForm(c));
    const { db, box } = c.get("deps");
    await deleteAddress(db, box, String(c.get("user")!.id), c.req.param("id")!);
    return c.redirect("/account/addresses?done=deleted", 303);
  },
};
