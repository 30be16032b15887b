import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { distributorOverview, pendingApplications } from "../../../services/distributors_admin.ts";
import { DistributorList } from "../../../components/DistributorList.tsx";

/** `/admin/distributors`: sales-drop alerts, applications, the ranking with tags. */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    const [{ profiles, alerts }, applications] = await Promise.all([
      distributorOverview(db, c.get("deps").shop.now()),
      pendingApplications(db, c.get("user")!),
    ]);
    const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), alerts, applications, profiles };
    return renderPage(c, <DistributorList {...props} />, { title: t("ops.distributors") });
  }],
};

export default DistributorList;
