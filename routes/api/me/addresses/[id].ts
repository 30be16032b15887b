import type { Handlers } from "../../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../../lib/http.ts";
import { addressPatchSchema, deleteAddress, updateAddress } from "../../../../services/address_book.ts";

/** `PATCH /api/me/addresses/:id` (any address field, `isDefault`) and `DELETE` (204); only the caller's. */
export const handler: Handlers = {
  async PATCH(c) {
    const user = requireUser(c);
    const patch = await readJson(c, addressPatchSchema);
    const { db, box } = c.get("deps");
    return c.json({ address: await updateAddress(db, box, String(user.id), c.req.param("id")!, patch) });
  },
  async DELETE(c) {
    const { db, box } = c.get("deps");
    await deleteAddress(db, box, String(requireUser(c).id), c.req.param("id")!);
    return c.body(null, 204);
  },
};
