import { z } from "zod";
import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPage } from "../../../lib/render.tsx";
import { listAddresses, MAX_ADDRESSES } from "../../../services/address_book.ts";
import { AddressBook } from "../../../components/AddressBook.tsx";

const pageQuery = z.object({ done: z.enum(["saved", "deleted", "default"]).optional().catch(undefined) });

/** `/account/addresses`: the member's address book (list, set default, edit, delete; add below). */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const { db, box } = c.get("deps");
    const addresses = await listAddresses(db, box, String(c.get("user")!.id));
    const { done } = pageQuery.parse(c.req.query());
    const props = { t, csrf: c.get("csrf"), addresses, max: MAX_ADDRESSES, notice: done };
    return renderPage(c, <AddressBook {...props} />, { title: t("addr.title") });
  },
};

export default AddressBook;
