import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { notificationsOf } from "../../../../services/notifications.ts";

/** `GET /api/me/notifications`: the caller's notifications, in their language. */
export const handler: Handlers = {
  GET: async (c) => c.json(await notificationsOf(c.get("deps").db, String(requireUser(c).id), c.get("locale"))),
};
