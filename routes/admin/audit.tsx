import { z } from "zod";
import type { Ctx } from "../../lib/app_env.ts";
import type { Handlers } from "../../lib/fs_router.ts";
import { clientIp } from "../../lib/http.ts";
import { keepQuery, listQuerySchema, readListQuery } from "../../lib/list_query.ts";
import { renderPage } from "../../lib/render.tsx";
import { requirePermission } from "../../lib/guards.ts";
import { toCsv } from "../../lib/csv.ts";
import { xlsxResponse } from "../../lib/xlsx_response.ts";
import { AUDIT_SORTS, auditActionNames, auditEntries, auditExport } from "../../services/audit.ts";
import { memberByEmail } from "../../services/members.ts";
import { appConfig } from "../../fresh.config.ts";
import { AuditLog } from "../../components/AuditLog.tsx";
import { text } from "../../lib/text.ts";
import { says } from "../../i18n/messages.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, says("validation.day")).optional();
const DEFAULTS = { sort: "time", dir: "desc" } as const;
const auditPageQuery = listQuerySchema({
  sorts: AUDIT_SORTS,
  ...DEFAULTS,
  filters: {
    action: text().trim().max(60).optional(),
    /** A member id or an email address. */
    actor: text().trim().max(120).optional(),
    target: text().trim().max(60).optional(),
    from: day,
    to: day,
    format: z.enum(["csv", "xlsx"]).optional(),
  },
});

const PAGE_SIZE = 50;
/** The most entries one download carries. */
const EXPORT_LIMIT = 10_000;

/** The search as `listAudit` takes it (an email is looked up; an unknown one matches nothing). */
async function auditFilter(c: Ctx, q: z.infer<typeof auditPageQuery>) {
  let actor: string | undefined;
  if (q.actor) {
    actor = /^\d{1,18}$/.test(q.actor) ? q.actor : String((await memberByEmail(c.get("deps").db, q.actor))?.id ?? 0);
  }
  return {
    actor,
    action: q.action || undefined,
    target: q.target || undefined,
    from: q.from,
    to: q.to,
    timeZone: appConfig.timeZone,
    sort: q.sort,
    dir: q.dir,
  };
}

/** `/admin/audit`: the audit log, searchable by action, actor, target and day; `?format=csv|xlsx` downloads it. */
export const handler: Handlers = {
  GET: [requirePermission("audit.read"), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    const q = readListQuery(c, auditPageQuery);
    const filter = await auditFilter(c, q);
    const { format: _, ...keep } = keepQuery(q, DEFAULTS);
    if (q.format) {
      const { items } = await auditEntries(db, { ...filter, limit: EXPORT_LIMIT, offset: 0 });
      // Downloading the log is itself a sensitive export.
      await auditExport(db, {
        actorId: String(c.get("user")!.id),
        target: "audit",
        ip: clientIp(c),
        after: { rows: items.length, format: q.format, filter: keep },
      });
      const rows = [
        ["at", "actor_id", "actor", "action", "target", "ip", "before", "after"],
        ...items.map((e) => [
          e.at,
          e.actorId ?? "",
          e.actorEmail ?? "",
          e.action,
          e.target,
          e.ip ?? "",
          JSON.stringify(e.before),
          JSON.stringify(e.after),
        ]),
      ];
      if (q.format === "xlsx") return xlsxResponse(c, rows, "audit");
      return c.body(toCsv(rows), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="audit.csv"',
      });
    }
    const [{ items, total }, actions] = await Promise.all([
      auditEntries(db, { ...filter, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }),
      auditActionNames(db),
    ]);
    const props = { t, path: c.req.path, user: c.get("user"), q, keep, actions, items, total, pageSize: PAGE_SIZE };
    return renderPage(c, <AuditLog {...props} />, { title: t("ops.audit") });
  }],
};

export default AuditLog;
