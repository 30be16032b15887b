import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { auditEntries } from "../services/audit.ts";
import { shortTime } from "../domain/shop_time.ts";
import { Pager } from "./Pager.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** An entry's change, folded: a one-line preview that opens to the before and after JSON, wrapped. */
function ChangeDetails({ before, after, t }: { before: unknown; after: unknown; t: Translator }) {
  if (before == null && after == null) return <span class="muted">—</span>;
  const preview = [before, after].filter((v) => v != null).map((v) => JSON.stringify(v)).join(" → ");
  return (
    <details class="json-diff">
      <summary>
        {t("look.showChange")}
        <span class="json-preview">{preview}</span>
      </summary>
      {before != null && <pre>{`${t("look.before")}: ${JSON.stringify(before, null, 2)}`}</pre>}
      {after != null && <pre>{`${t("look.after")}: ${JSON.stringify(after, null, 2)}`}</pre>}
    </details>
  );
}

/** The audit log page: the search form, downloads, one page of entries. */
export function AuditLog(
  { t, q, keep, actions, items, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    q: {
      action?: string;
      actor?: string;
      target?: string;
      from?: string;
      to?: string;
      sort: string;
      dir: SortDir;
      page: number;
    };
    /** The search to keep in links. */
    keep: Record<string, string>;
    actions: string[];
    items: Awaited<ReturnType<typeof auditEntries>>["items"];
    total: number;
    pageSize: number;
  },
) {
  const download = (format: string) => `/admin/audit?${new URLSearchParams({ ...keep, format })}`;
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const filtered = Boolean(q.action || q.actor || q.target || q.from || q.to);
  return (
    <section class="stack">
      <h1>{t("ops.audit")}</h1>
      <form method="get" action="/admin/audit" class="card filters" role="search">
        <KeepFields keep={keep} />
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
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/audit">{t("list.reset")}</a>}
        <a class="btn btn-ghost btn-sm" href={download("csv")}>CSV</a>
        <a class="btn btn-ghost btn-sm" href={download("xlsx")}>XLSX</a>
      </form>
      <p class="muted" role="status">{t("audit.count", { n: total })}</p>
      <TableScroll label={t("ops.audit")}>
        <table class="table" data-testid="audit">
          <thead>
            <tr>
              <SortHeader label={t("ops.time")} column="time" {...sortProps} />
              <SortHeader label={t("ops.actor")} column="actor" {...sortProps} />
              <SortHeader label={t("ops.actionName")} column="action" {...sortProps} />
              <SortHeader label={t("ops.target")} column="target" {...sortProps} />
              <th scope="col">{t("ops.change")}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <EmptyRow
                columns={5}
                text={filtered ? t("list.noMatch") : t("audit.none")}
                hint={filtered ? t("look.tryOtherFilter") : undefined}
                icon="audit"
              />
            )}
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
                <td class="wrap">
                  <ChangeDetails before={e.before} after={e.after} t={t} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager page={q.page} pageSize={pageSize} total={total} baseQuery={keep} t={t} />
    </section>
  );
}
