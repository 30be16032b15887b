import type { Handlers } from "../../../lib/fs_router.ts";
import { clientIp, requireUser } from "../../../lib/http.ts";
import { exportMemberData } from "../../../services/member_data.ts";

/** `GET /api/me/export`: everything the shop holds about the caller, as a JSON download. */
export const handler: Handlers = {
  async GET(c) {
    const user = requireUser(c);
    const { db, box } = c.get("deps");
    const data = await exportMemberData(db, box, user, clientIp(c), c.get("locale"));
    return c.body(JSON.stringify(data, null, 2), 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="sharemall-export-${user.id}.json"`,
      "Cache-Control": "no-store",
    });
  },
};
