import { z } from "zod";
import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { keepQuery, listQuerySchema, readListQuery } from "../../../lib/list_query.ts";
import { text } from "../../../lib/text.ts";
import { says } from "../../../i18n/messages.ts";
import { MEMBER_LEVELS } from "../../../domain/pricing/member_price.ts";
import { MEMBER_SORTS, memberList, ROLES } from "../../../services/members_admin.ts";
import { MemberList } from "../../../components/MemberList.tsx";

const PAGE_SIZE = 50;
const DEFAULTS = { sort: "joined", dir: "desc" } as const;
const memberQuery = listQuerySchema({
  sorts: MEMBER_SORTS,
  ...DEFAULTS,
  filters: {
    q: text().trim().max(120).optional(),
    role: z.enum(ROLES, says("list.err.memberRole")).optional(),
    level: z.enum(MEMBER_LEVELS, says("list.err.level")).optional(),
  },
});

/** `/admin/members?q=&role=&level=&sort=&dir=&page=`: every member, searchable, by role and level, sortable. */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const t = c.get("t");
    const q = readListQuery(c, memberQuery);
    const { rows, total } = await memberList(c.get("deps").db, c.get("user")!, {
      q: q.q || undefined,
      role: q.role,
      level: q.level,
      sort: q.sort,
      dir: q.dir,
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
    });
    const props = { t, path: c.req.path, user: c.get("user"), rows, q, keep: keepQuery(q, DEFAULTS), total };
    return renderPage(c, <MemberList {...props} pageSize={PAGE_SIZE} />, { title: t("list.members") });
  }],
};

export default MemberList;
