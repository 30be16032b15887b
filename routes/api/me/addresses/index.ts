import type { Handlers } from "../../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../../lib/http.ts";
import { addAddress, addressInputSchema, listAddresses } from "../../../../services/address_book.ts";

/** `GET /api/me/addresses` (the default first) and `POST` a new address (201). */
export const handler: Handlers = {
  async GET(c) {
    const { db, box } = c.get("deps");
    const items = await listAddresses(db, box, String(requireUser(c).id));
    return c.json({ items, total: items.length });
  },
  async POST(c) {
    const user = requireUser(c);
    const input = await readJson(c, addressInputSchema);
    const { db, box } = c.get("deps");
    return c.json({ address: await addAddress(db, box, String(user.id), input) }, 201);
  },
};
