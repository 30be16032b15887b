import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { auditEntries } from "../services/audit.ts";
import { shortTime } from "../domain/shop_time.ts";
import { AdminNav } from "./AdminNav.tsx";
import { Pager } from "./Pager.tsx";

/** The audit log page: the search form, downloads, one page of entries. */
export function AuditLog(
  { t, path, user, q, keep, actions, items, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    q: { action?: string; actor?: string; target?: string; from?: string; to?: string; page: number };
    /** The search to keep in links. */
    keep: Record<string, string>;
    actions: string[];
    items: Awaited<ReturnType<typeof auditEntries>>["items"];
    total: number;
    pageSize: number;
  },
) {
  const download = (format: string) => `/admin/audit?${new URLSearchParams({ ...keep, format })}`;
  return (
    <section class="stack">
      <AdminNav path={path} t={t} user={user} />
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
      <Pager page={q.page} pageSize={pageSize} total={total} baseQuery={keep} t={t} />
    </section>
  );
}
