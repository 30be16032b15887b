import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { MEMBER_LEVELS } from "../domain/pricing/member_price.ts";
import { shopDay } from "../domain/shop_time.ts";
import { type MemberListRow, ROLES } from "../services/members_admin.ts";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** Every member: a search, role and level filters, a sortable page; emails masked unless the role reads PII. */
export function MemberList(
  { t, rows, q, keep, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    rows: MemberListRow[];
    q: { q?: string; role?: string; level?: string; sort: string; dir: SortDir; page: number };
    /** The search, filters and sort to keep in links. */
    keep: Record<string, string>;
    total: number;
    pageSize: number;
  },
) {
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const filtered = Boolean(q.q || q.role || q.level);
  return (
    <section class="stack">
      <h1>{t("list.members")}</h1>
      <form method="get" action="/admin/members" class="card filters" role="search">
        <KeepFields keep={keep} />
        <label>
          {t("list.searchMembers")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={120} placeholder={t("list.searchMembersHint")} />
        </label>
        <label>
          {t("list.role")}
          <select name="role">
            <option value="">{t("list.anyMemberRole")}</option>
            {ROLES.map((r) => <option key={r} value={r} selected={q.role === r}>{t(`role.${r}`)}</option>)}
          </select>
        </label>
        <label>
          {t("list.level")}
          <select name="level">
            <option value="">{t("list.anyLevel")}</option>
            {MEMBER_LEVELS.map((l) => <option key={l} value={l} selected={q.level === l}>{t(`level.${l}`)}</option>)}
          </select>
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/members">{t("list.reset")}</a>}
        <span class="muted" role="status" data-testid="count">{t("list.count", { n: total })}</span>
      </form>
      <TableScroll label={t("list.members")}>
        <table class="table" data-testid="members">
          <thead>
            <tr>
              <SortHeader label={t("auth.name")} column="name" {...sortProps} />
              <th scope="col">{t("auth.email")}</th>
              <th scope="col">{t("list.role")}</th>
              <th scope="col">{t("list.level")}</th>
              <SortHeader label={t("list.spent")} column="spent" class="num" {...sortProps} />
              <SortHeader label={t("list.points")} column="points" class="num" {...sortProps} />
              <SortHeader label={t("list.joined")} column="joined" {...sortProps} />
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={7}
                text={filtered ? t("list.noMatch") : t("list.noMembers")}
                hint={filtered ? t("look.tryOtherFilter") : t("list.noMembersHint")}
                icon="contact"
              />
            )}
            {rows.map((m) => (
              <tr key={m.id} data-id={m.id}>
                <td>
                  {m.role === "distributor" ? <a href={`/admin/distributors/${m.id}`}>{m.name}</a> : m.name}
                  <span class="muted block">#{m.id}</span>
                  {m.erased && <span class="badge badge-muted">{t("list.erased")}</span>}
                </td>
                <td>{m.email}</td>
                <td>{t(`role.${m.role}`)}</td>
                <td>{t(`level.${m.level}`)}</td>
                <td class="num">¥{m.total_spent}</td>
                <td class="num">{m.points_balance}</td>
                <td>{shopDay(new Date(m.created_at))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager page={q.page} pageSize={pageSize} total={total} baseQuery={keep} t={t} />
    </section>
  );
}
