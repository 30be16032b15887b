import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { DistributorProfile } from "../../../components/DistributorProfile.tsx";
import { distributorPage } from "./_page.tsx";

/** `/admin/distributors/:id`: one distributor for staff (with the erasure form for `members.erase`). */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), (c) => distributorPage(c, c.req.param("id")!)],
};

export default DistributorProfile;
