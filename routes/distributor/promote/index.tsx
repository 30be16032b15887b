import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPortal } from "../../../lib/portal.tsx";
import { requireMember } from "../../../lib/guards.ts";
import { linkStats, promotableProducts, promoteLinks, qrSvg } from "../../../services/promote.ts";
import { lastEventId } from "../../../services/live.ts";
import { PromotePage } from "../../../components/PromotePage.tsx";

/** `/distributor/promote`: the distributor's promotion tools. */
export const handler: Handlers = {
  GET: [requireMember(), async (c) => {
    const user = c.get("user")!;
    const t = c.get("t");
    const db = c.get("deps").db;
    // This site's origin as the visitor reached it (links and QR codes point here).
    const origin = new URL(c.req.url).origin;
    const links = promoteLinks(origin, user.referral_code);
    // The snapshot's event id is read first, so no event after the snapshot is missed.
    const eventId = await lastEventId(db);
    const [stats, products, qr] = await Promise.all([
      linkStats(db, String(user.id)),
      promotableProducts(db),
      qrSvg(links.register, 1),
    ]);
    const props = { t, user, origin, links, qr, stats, products, lastEventId: eventId };
    return renderPortal(c, <PromotePage {...props} />, t("promote.title"));
  }],
};

export default PromotePage;
