import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../lib/http.ts";
import { profileSchema, updateProfile } from "../../../services/members_admin.ts";

/** `PATCH /api/me/profile`: phone or ID number. */
export const handler: Handlers = {
  async PATCH(c) {
    const input = await readJson(c, profileSchema);
    const { db, box } = c.get("deps");
    await updateProfile(db, box, requireUser(c), input);
    return c.body(null, 204);
  },
};
