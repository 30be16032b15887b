import { z } from "zod";
import type { Handlers } from "../../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../../lib/http.ts";
import { markAllRead } from "../../../../services/notifications.ts";

/** `POST /api/me/notifications/read` `{ id? }`: one notification, or all, read. */
export const handler: Handlers = {
  async POST(c) {
    const { id } = await readJson(c, z.object({ id: z.string().regex(/^\d{1,18}$/).optional() }));
    await markAllRead(c.get("deps").db, String(requireUser(c).id), id);
    return c.body(null, 204);
  },
};
