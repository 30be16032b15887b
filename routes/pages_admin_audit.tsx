import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { clientIp, readQuery } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { toCsv } from "../lib/csv.ts";
import { xlsxResponse } from "../lib/xlsx_response.ts";
import { appendAudit, auditActions, listAudit } from "../db/audit_repo.ts";
import { findUserByEmail } from "../db/users_repo.ts";
import { shortTime } from "../client/format.ts";
import { appConfig } from "../fresh.config.ts";
import { AdminNav } from "../components/AdminNav.tsx";
import { Pager } from "../components/Pager.tsx";
import { staffPage } from "./staff_page.ts";
import { text } from "../lib/text.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22").optional().or(z.literal(""));
const auditPageQuery = z.object({
  action: text().trim().max(60).optional(),
  /** A member id or an email address. */
  actor: text().trim().max(120).optional(),
  target: text().trim().max(60).optional(),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  format: z.enum(["csv", "xlsx"]).optional(),
});

const PAGE_SIZE = 50;
/** The most entries one download carries. */
const EXPORT_LIMIT = 10_000;

/** The search as `listAudit` takes it (an email is looked up; an unknown one matches nothing). */
async function auditFilter(c: Ctx, q: z.infer<typeof auditPageQuery>) {
  let actor: string | undefined;
  if (q.actor) {
    actor = /^\d{1,18}$/.test(q.actor) ? q.actor : String((await findUserByEmail(c.get("deps").db, q.actor))?.id ?? 0);
  }
  return {
    actor,
    action: q.action || undefined,
    target: q.target || undefined,
    from: q.from || undefined,
    to: q.to || undefined,
    timeZone: appConfig.timeZone,
  };
}

/** The audit log: searchable by action, actor, target and day, a page at a time, downloadable as CSV or XLSX. */
export const pagesAdminAudit = new Hono<AppEnv>()
  .get("/admin/audit", async (c) => {
    const s = staffPage(c, "audit.read");
    if ("redirect" in s) return s.redirect;
    const t = c.get("t");
    const db = c.get("deps").db;
    const q = readQuery(c, auditPageQuery);
    const filter = await auditFilter(c, q);
    const keep = Object.fromEntries(
      Object.entries({ action: q.action, actor: q.actor, target: q.target, from: q.from, to: q.to })
        .filter(([, v]) => v) as [string, string][],
    );
    if (q.format) {
      const { items } = await listAudit(db, { ...filter, limit: EXPORT_LIMIT, offset: 0 });
      // Downloading the log is itself a sensitive export.
      await appendAudit(db, {
        actorId: String(s.user.id),
        action: "data.export",
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
      listAudit(db, { ...filter, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }),
      auditActions(db),
    ]);
    const download = (format: string) => `/admin/audit?${new URLSearchParams({ ...keep, format })}`;
    return renderPage(
      c,
      <section class="stack">
        <AdminNav path={c.req.path} t={t} user={c.get("user")} />
        <h1>{t("ops.audit")}</h1>
        <form method="get" action="/admin/audit" class="card filters" role="search">
          <label>
            {t("ops.actionName")}
            <select name="action">
              <option value="">{t("audit.anyAction")}</option>
              {actions.map((a) => <option key={a} value={a} selected={q.action === a}>{a}</option>)}
            </select>
          </label>
          <label>
            {t("ops.actor")}
            <input name="actor" value={q.actor ?? ""} maxLength={120} placeholder={t("audit.actorHint")} />
          </label>
          <label>
            {t("ops.target")}
            <input name="target" value={q.target ?? ""} maxLength={60} placeholder="product:12" />
          </label>
          <label>
            {t("ops.from")}
            <input type="date" name="from" value={q.from ?? ""} />
          </label>
          <label>
            {t("ops.to")}
            <input type="date" name="to" value={q.to ?? ""} />
          </label>
          <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
          <a class="btn btn-ghost btn-sm" href={download("csv")}>CSV</a>
          <a class="btn btn-ghost btn-sm" href={download("xlsx")}>XLSX</a>
        </form>
        <p class="muted" role="status">{t("audit.count", { n: total })}</p>
        {items.length === 0 ? <p class="empty card">{t("audit.none")}</p> : (
          <div class="table-scroll">
            <table class="table" data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">{t("ops.time")}</th>
                  <th scope="col">{t("ops.actor")}</th>
                  <th scope="col">{t("ops.actionName")}</th>
                  <th scope="col">{t("ops.target")}</th>
                  <th scope="col">{t("ops.change")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id}>
                    <td>{shortTime(e.at)}</td>
                    <td>
                      {e.actorName ?? t("stmt.system")}
                      {e.actorEmail && <span class="muted block">{e.actorEmail}</span>}
                      {e.ip && <span class="muted block">{e.ip}</span>}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.target}</td>
                    <td>
                      <code class="code">{JSON.stringify(e.before)} → {JSON.stringify(e.after)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={q.page} pageSize={PAGE_SIZE} total={total} baseQuery={keep} t={t} />
      </section>,
      { title: t("ops.audit") },
    );
  });
