import { z } from "zod";
import type { Ctx } from "../../lib/app_env.ts";
import type { Handlers } from "../../lib/fs_router.ts";
import { clientIp } from "../../lib/http.ts";
import { renderPage } from "../../lib/render.tsx";
import { requirePermission } from "../../lib/guards.ts";
import { fail } from "../../lib/errors.ts";
import { msg, says } from "../../i18n/messages.ts";
import { STAFF_ROLES } from "../../domain/permissions.ts";
import { changeRole } from "../../services/accounts.ts";
import { setStaffRole } from "../../services/members_admin.ts";
import { memberByEmail, STAFF_SORTS, staffList } from "../../services/members.ts";
import { keepQuery, listQuerySchema, readListQuery } from "../../lib/list_query.ts";
import { text } from "../../lib/text.ts";
import { StaffList } from "../../components/StaffList.tsx";
import { staffAction } from "./_action.ts";

const PAGE_SIZE = 50;
const DEFAULTS = { sort: "joined", dir: "asc" } as const;
const staffQuery = listQuerySchema({
  sorts: STAFF_SORTS,
  ...DEFAULTS,
  filters: {
    q: text().trim().max(120).optional(),
    role: z.enum(STAFF_ROLES, says("list.err.role")).optional(),
  },
});

async function staffListPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const q = readListQuery(c, staffQuery);
  const { rows: staff, total } = await staffList(c.get("deps").db, {
    q: q.q || undefined,
    role: q.role,
    sort: q.sort,
    dir: q.dir,
    limit: PAGE_SIZE,
    offset: (q.page - 1) * PAGE_SIZE,
  });
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, staff };
  const list = { q, keep: keepQuery(q, DEFAULTS), total, pageSize: PAGE_SIZE };
  return renderPage(c, <StaffList {...props} {...list} />, { title: t("ops.staff"), status });
}

/** `/admin/staff?q=&role=&sort=&dir=&page=`: managers and their staff roles; adding a manager by email, changing a role. */
export const handler: Handlers = {
  GET: [requirePermission("users.role"), (c) => staffListPage(c)],
  POST: [requirePermission("users.role"), (c) =>
    staffAction(c, staffListPage, "/admin/staff", async (form) => {
      const db = c.get("deps").db;
      if (form.email) {
        const member = await memberByEmail(db, form.email.trim());
        if (!member) throw fail.invalid("staff.err.unknownEmail", {}, { email: msg("staff.err.unknownEmailField") });
        await changeRole(db, c.get("user")!, String(member.id), "manager", clientIp(c), c.get("deps").sessionSockets);
        return;
      }
      const parsed = z.object({ userId: z.string().regex(/^\d{1,18}$/), staffRole: z.enum(STAFF_ROLES) }).safeParse(
        form,
      );
      if (!parsed.success) throw fail.invalid("staff.err.chooseRole", {}, { staffRole: msg("validation.required") });
      await setStaffRole(db, c.get("user")!, parsed.data.userId, parsed.data.staffRole, clientIp(c));
    })],
};

export default StaffList;
