import { z } from "zod";
import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { keepQuery, listQuerySchema, readListQuery } from "../../../lib/list_query.ts";
import { text } from "../../../lib/text.ts";
import { says } from "../../../i18n/messages.ts";
import { RANKS } from "../../../domain/commission/ranks.ts";
import { DISTRIBUTOR_SORTS, distributorList, pendingApplications } from "../../../services/distributors_admin.ts";
import { DistributorList } from "../../../components/DistributorList.tsx";

const PAGE_SIZE = 50;
const DEFAULTS = { sort: "thisMonth", dir: "desc" } as const;
/** The distributors list's search, rank filter, sort and page. */
export const distributorQuery = listQuerySchema({
  sorts: DISTRIBUTOR_SORTS,
  ...DEFAULTS,
  filters: {
    q: text().trim().max(60).optional(),
    rank: z.enum(RANKS, says("list.err.rank")).optional(),
  },
});

/** `/admin/distributors?q=&rank=&sort=&dir=&page=`: sales-drop alerts, applications, the ranking with tags. */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    const q = readListQuery(c, distributorQuery);
    const [{ profiles, alerts, total }, applications] = await Promise.all([
      distributorList(db, c.get("deps").shop.now(), {
        q: q.q || undefined,
        rank: q.rank,
        sort: q.sort,
        dir: q.dir,
        limit: PAGE_SIZE,
        offset: (q.page - 1) * PAGE_SIZE,
      }),
      pendingApplications(db, c.get("user")!),
    ]);
    const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), alerts, applications, profiles };
    const list = { q, keep: keepQuery(q, DEFAULTS), total, pageSize: PAGE_SIZE };
    return renderPage(c, <DistributorList {...props} {...list} />, { title: t("ops.distributors") });
  }],
};

export default DistributorList;
