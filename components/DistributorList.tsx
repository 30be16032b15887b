import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { distributorList, pendingApplications } from "../services/distributors_admin.ts";
import { RANKS } from "../domain/commission/ranks.ts";
import { DecisionForms } from "./DecisionForms.tsx";
import { DistributorTags, SalesDropLine, TagRules } from "./DistributorTags.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

type Overview = Awaited<ReturnType<typeof distributorList>>;

/** Distributors: sales-drop alerts, applications to review, the searchable, sortable ranking with tags. */
export function DistributorList(
  { t, csrf, alerts, applications, profiles, q, keep, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    alerts: Overview["alerts"];
    applications: Awaited<ReturnType<typeof pendingApplications>>;
    profiles: Overview["profiles"];
    q: { q?: string; rank?: string; sort: string; dir: SortDir; page: number };
    /** The search, filter and sort to keep in links. */
    keep: Record<string, string>;
    total: number;
    pageSize: number;
  },
) {
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const filtered = Boolean(q.q || q.rank);
  return (
    <section class="stack">
      <h1>{t("ops.distributors")}</h1>
      <section class="card" aria-labelledby="drop-alerts">
        <h2 id="drop-alerts">{t("ops.dropAlerts")}</h2>
        {alerts.length === 0
          ? <p class="muted">{t("ops.noDropAlerts")}</p>
          : (
            <ul class="plain-list" data-testid="drop-alerts">
              {alerts.map((p) => (
                <li key={p.id}>
                  <a href={`/admin/distributors/${p.id}`}>{p.name}</a> <SalesDropLine drop={p.drop!} t={t} />
                </li>
              ))}
            </ul>
          )}
        <p class="muted">{t("ops.rule.drop")}</p>
      </section>
      {applications.length > 0 && (
        <section class="card" aria-labelledby="apps">
          <h2 id="apps">{t("ops.applications")}</h2>
          <ul class="plain-list">
            {applications.map((a) => (
              <li key={a.id}>
                <strong>{a.name}</strong> · {a.contact} · {a.channels}{" "}
                {a.experience && <span class="muted">· {a.experience}</span>}
                <DecisionForms base={`/admin/applications/${a.id}`} csrf={csrf} t={t} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <form method="get" action="/admin/distributors" class="card filters" role="search">
        <KeepFields keep={keep} />
        <label>
          {t("list.searchMember")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={60} placeholder={t("list.searchMemberHint")} />
        </label>
        <label>
          {t("list.rank")}
          <select name="rank">
            <option value="">{t("list.anyRank")}</option>
            {RANKS.map((r) => <option key={r} value={r} selected={q.rank === r}>{t(`rank.${r}`)}</option>)}
          </select>
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/distributors">{t("list.reset")}</a>}
        <span class="muted" role="status" data-testid="count">{t("list.count", { n: total })}</span>
      </form>
      <TableScroll label={t("ops.distributors")}>
        <table class="table" data-testid="distributors">
          <thead>
            <tr>
              <SortHeader label={t("auth.name")} column="name" {...sortProps} />
              <SortHeader label={t("list.rank")} column="rank" {...sortProps} />
              <SortHeader label={t("dash.members")} column="members" class="num" {...sortProps} />
              <SortHeader label={t("ops.thisMonth")} column="thisMonth" class="num" {...sortProps} />
              <SortHeader label={t("ops.lastMonth")} column="lastMonth" class="num" {...sortProps} />
              <th scope="col">{t("ops.tags")}</th>
            </tr>
          </thead>
          <tbody>
            {profiles.length === 0 && (
              <EmptyRow
                columns={6}
                text={filtered ? t("list.noMatch") : t("list.noDistributors")}
                hint={filtered ? t("look.tryOtherFilter") : t("list.noDistributorsHint")}
                icon="users"
              />
            )}
            {profiles.map((p) => (
              <tr key={p.id} data-id={p.id}>
                <td>
                  <a href={`/admin/distributors/${p.id}`}>{p.name}</a>
                </td>
                <td>{t(`rank.${p.rank}`)}</td>
                <td class="num">{p.members}</td>
                <td class="num">
                  ¥{p.sales.thisMonth} {p.drop && <span class="badge badge-warn">{t("ops.drop")}</span>}
                </td>
                <td class="num">¥{p.sales.lastMonth}</td>
                <td>
                  <DistributorTags tags={p.tags} t={t} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager page={q.page} pageSize={pageSize} total={total} baseQuery={keep} t={t} />
      <TagRules t={t} />
    </section>
  );
}
