import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { PeriodRow } from "../services/settlement.ts";
import { shortTime, toShopLocalInput } from "../domain/shop_time.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** Settlement periods: the close form (the next period continues the last one) and the closed periods. */
export function SettlementPeriods(
  { t, csrf, message, periods, start, end, q, keep, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    periods: PeriodRow[];
    q: { from?: string; to?: string; sort: string; dir: SortDir; page: number };
    /** The days and sort to keep in links. */
    keep: Record<string, string>;
    total: number;
    pageSize: number;
    /** Where the next period starts (the last one's end), or null before the first. */
    start: string | null;
    /** The suggested end: the last whole minute. */
    end: string;
  },
) {
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const filtered = Boolean(q.from || q.to);
  return (
    <section class="stack">
      <h1>{t("ops.settlements")}</h1>
      <FormAlert message={message} />
      <PostForm action="/admin/settlements" csrf={csrf} class="card filters">
        {start
          ? (
            <p class="muted">
              {t("ops.periodStart")} {shortTime(start)}
              <input type="hidden" name="startsAt" value={start} />
            </p>
          )
          : (
            <label>
              {t("ops.periodStart")}
              <input type="datetime-local" name="startsAt" value="2026-01-01T00:00" required />
            </label>
          )}
        <label>
          {t("ops.periodEnd")}
          <input type="datetime-local" name="endsAt" value={toShopLocalInput(end)} required />
        </label>
        <span class="muted">{t("ops.shopTime")}</span>
        <button class="btn btn-primary btn-sm" type="submit">{t("ops.close")}</button>
      </PostForm>
      <form method="get" action="/admin/settlements" class="card filters" role="search">
        <KeepFields keep={keep} />
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
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/settlements">{t("list.reset")}</a>}
        <span class="muted" role="status" data-testid="count">{t("list.count", { n: total })}</span>
      </form>
      <TableScroll label={t("ops.settlements")}>
        <table class="table" data-testid="periods">
          <thead>
            <tr>
              <SortHeader label="#" column="period" {...sortProps} />
              <th scope="col">{t("ops.periodStart")}</th>
              <th scope="col">{t("ops.periodEnd")}</th>
              <SortHeader label={t("earn.statements")} column="statements" class="num" {...sortProps} />
              <SortHeader label={t("ops.owed")} column="owed" class="num" {...sortProps} />
            </tr>
          </thead>
          <tbody>
            {periods.length === 0 && (
              <EmptyRow
                columns={5}
                text={filtered ? t("list.noMatch") : t("look.noPeriods")}
                hint={filtered ? t("look.tryOtherFilter") : t("look.noPeriodsHint")}
                icon="landmark"
              />
            )}
            {periods.map((p) => (
              <tr key={p.id} data-id={p.id}>
                <td>
                  <a
                    href={`/admin/settlements/${p.id}`}
                    aria-label={`${t("stmt.period", { id: p.id })} · ${t("stmt.review")}`}
                  >
                    {t("stmt.period", { id: p.id })}
                  </a>
                </td>
                <td>{toShopLocalInput(new Date(p.starts_at).toISOString()).replace("T", " ")}</td>
                <td>{toShopLocalInput(new Date(p.ends_at).toISOString()).replace("T", " ")}</td>
                <td class="num">{p.statements}</td>
                <td class="num">¥{p.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager page={q.page} pageSize={pageSize} total={total} baseQuery={keep} t={t} />
    </section>
  );
}
