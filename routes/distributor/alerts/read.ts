import type { Handlers } from "../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../lib/http.ts";
import { requireMember } from "../../../lib/guards.ts";
import { markAllRead } from "../../../services/notifications.ts";

/** `POST /distributor/alerts/read`: every notification read. */
export const handler: Handlers = {
  POST: [requireMember(), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    await markAllRead(c.get("deps").db, String(c.get("user")!.id));
    return c.redirect("/distributor/alerts", 303);
  }],
};
