import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { fail } from "../../../lib/errors.ts";
import { applicationsOf, distributorProfile, rankHistory } from "../../../services/distributors_admin.ts";
import { teamFigures } from "../../../services/earnings.ts";
import { DistributorProfile } from "../../../components/DistributorProfile.tsx";

/** `/admin/distributors/:id`: one distributor for staff. */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    const id = c.req.param("id")!;
    const profile = await distributorProfile(db, id, c.get("deps").shop.now());
    if (!profile) throw fail.notFound("distributor");
    const [apps, ranks, figures] = await Promise.all([
      applicationsOf(db, c.get("user")!, id),
      rankHistory(db, id),
      teamFigures(db, id),
    ]);
    const props = { t, user: c.get("user"), profile, apps, ranks, figures };
    return renderPage(c, <DistributorProfile {...props} />, { title: profile.name });
  }],
};

export default DistributorProfile;
