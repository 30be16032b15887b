import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { STAFF_ROLES, staffRoleOf } from "../domain/permissions.ts";
import type { StaffListRow } from "../services/members.ts";
import { listHref } from "../lib/list_query.ts";
import { shopDay } from "../domain/shop_time.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** Managers and their staff roles (searchable, by role, sortable), with the form that adds a manager. */
export function StaffList(
  { t, csrf, message, staff, q, keep, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    staff: StaffListRow[];
    q: { q?: string; role?: string; sort: string; dir: SortDir; page: number };
    /** The search, filter and sort to keep in links. */
    keep: Record<string, string>;
    total: number;
    pageSize: number;
  },
) {
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const filtered = Boolean(q.q || q.role);
  const back = listHref("/admin/staff", keep, q.page);
  return (
    <section class="stack">
      <h1>{t("ops.staff")}</h1>
      <FormAlert message={message} />
      <PostForm action="/admin/staff" csrf={csrf} class="card filters">
        <input type="hidden" name="back" value={back} />
        <label>
          {t("ops.addManager")}
          <input name="email" type="email" required maxLength={254} placeholder="name@example.com" />
        </label>
        <button class="btn btn-primary btn-sm" type="submit">{t("cat.create")}</button>
      </PostForm>
      <form method="get" action="/admin/staff" class="card filters" role="search">
        <KeepFields keep={keep} />
        <label>
          {t("list.searchStaff")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={120} />
        </label>
        <label>
          {t("ops.staffRole")}
          <select name="role">
            <option value="">{t("list.anyRole")}</option>
            {STAFF_ROLES.map((r) => <option key={r} value={r} selected={q.role === r}>{t(`staff.${r}`)}</option>)}
          </select>
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/staff">{t("list.reset")}</a>}
        <span class="muted" role="status" data-testid="count">{t("list.count", { n: total })}</span>
      </form>
      <TableScroll label={t("ops.staff")}>
        <table class="table" data-testid="staff">
          <thead>
            <tr>
              <SortHeader label={t("auth.name")} column="name" {...sortProps} />
              <SortHeader label={t("auth.email")} column="email" {...sortProps} />
              <SortHeader label={t("list.joined")} column="joined" {...sortProps} />
              <SortHeader label={t("ops.staffRole")} column="role" {...sortProps} />
            </tr>
          </thead>
          <tbody>
            {staff.length === 0 && (
              <EmptyRow
                columns={4}
                text={filtered ? t("list.noMatch") : t("list.noStaff")}
                hint={filtered ? t("look.tryOtherFilter") : undefined}
                icon="userCog"
              />
            )}
            {staff.map((m) => (
              <tr key={m.id} data-id={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{shopDay(new Date(m.created_at))}</td>
                <td>
                  <PostForm action="/admin/staff" csrf={csrf} class="inline-form">
                    <input type="hidden" name="userId" value={String(m.id)} />
                    <input type="hidden" name="back" value={back} />
                    <select name="staffRole" aria-label={t("list.roleOf", { name: m.name })}>
                      {STAFF_ROLES.map((r) => (
                        <option key={r} value={r} selected={staffRoleOf(m) === r}>
                          {t(`staff.${r}`)}
                        </option>
                      ))}
                    </select>
                    <button
                      class="btn btn-ghost btn-sm"
                      type="submit"
                      aria-label={`${t("list.saveRole")} ${m.name}`}
                    >
                      {t("list.saveRole")}
                    </button>
                  </PostForm>
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
