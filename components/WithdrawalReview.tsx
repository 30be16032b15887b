import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { ReviewedWithdrawal } from "../services/earnings.ts";
import { listHref } from "../lib/list_query.ts";
import { shortTime } from "../domain/shop_time.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

const STATUSES = ["requested", "paid", "rejected"] as const;

/** The payout queue (by status, searchable, sortable) with approve (password when not re-authenticated lately) and reject forms. */
export function WithdrawalReview(
  { t, csrf, message, fresh, rows, q, keep, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    /** Whether the manager entered their password in the last minutes. */
    fresh: boolean;
    rows: ReviewedWithdrawal[];
    q: { status?: string; q?: string; sort: string; dir: SortDir; page: number };
    /** The status, search and sort to keep in links. */
    keep: Record<string, string>;
    total: number;
    pageSize: number;
  },
) {
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const withStatus = (s?: string) => {
    const { status: _, ...rest } = keep;
    return listHref("/admin/withdrawals", s ? { ...rest, status: s } : rest);
  };
  const back = listHref("/admin/withdrawals", keep, q.page);
  return (
    <section class="stack">
      <h1>{t("ops.withdrawals")}</h1>
      <FormAlert message={message} />
      {!fresh && <p class="alert">{t("ops.reauthHint")}</p>}
      <nav class="chips" aria-label={t("look.filterStatus")}>
        <a class={!q.status ? "chip active" : "chip"} href={withStatus()} aria-current={!q.status ? "page" : undefined}>
          {t("look.allRecent")}
        </a>
        {STATUSES.map((s) => (
          <a
            key={s}
            class={q.status === s ? "chip active" : "chip"}
            href={withStatus(s)}
            aria-current={q.status === s ? "page" : undefined}
          >
            {s === "requested" ? t("look.waiting") : t(`earn.w.${s}`)}
          </a>
        ))}
      </nav>
      <form method="get" action="/admin/withdrawals" class="card filters" role="search">
        <KeepFields keep={keep} names={["status", "sort", "dir"]} />
        <label>
          {t("list.searchWithdrawal")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={60} />
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        {q.q && <a class="btn btn-ghost btn-sm" href={withStatus(q.status)}>{t("list.reset")}</a>}
        <span class="muted" role="status" data-testid="count">{t("list.count", { n: total })}</span>
      </form>
      <TableScroll label={t("ops.withdrawals")}>
        <table class="table" data-testid="withdrawals">
          <thead>
            <tr>
              <SortHeader label="#" column="created" {...sortProps} />
              <SortHeader label={t("auth.name")} column="name" {...sortProps} />
              <SortHeader label={t("earn.amount")} column="amount" class="num" {...sortProps} />
              <th scope="col" class="num">{t("earn.tax")}</th>
              <SortHeader label={t("earn.net")} column="net" class="num" {...sortProps} />
              <th scope="col">{t("earn.status")}</th>
              <th scope="col">{t("ops.action")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={7}
                text={q.q
                  ? t("list.noMatch")
                  : q.status === "requested"
                  ? t("look.noWaitingWithdrawals")
                  : t("look.noWithdrawals")}
                hint={q.q ? t("look.tryOtherFilter") : t("look.noWithdrawalsHint")}
                icon="wallet"
              />
            )}
            {rows.map((w) => (
              <tr key={w.id} data-id={w.id}>
                <td>
                  {w.id}
                  <span class="muted block">{shortTime(new Date(w.created_at).toISOString())}</span>
                </td>
                <td>{w.name}</td>
                <td class="num">
                  ¥{w.amount}
                  {w.unusual.map((r) => <span key={r} class="badge badge-warn">{t(`ops.unusual.${r}`)}</span>)}
                </td>
                <td class="num">¥{w.tax}</td>
                <td class="num">¥{w.net}</td>
                <td>{t(`earn.w.${w.status}`)}</td>
                <td>
                  {w.status === "requested" && (
                    <>
                      <PostForm action={`/admin/withdrawals/${w.id}/approve`} csrf={csrf} class="inline-form">
                        <input type="hidden" name="back" value={back} />
                        {!fresh && (
                          <input
                            type="password"
                            name="password"
                            aria-label={t("auth.password")}
                            placeholder={t("auth.password")}
                            required
                          />
                        )}
                        <button
                          class="btn btn-primary btn-sm"
                          type="submit"
                          aria-label={`${t("ops.approve")} #${w.id}`}
                        >
                          {t("ops.approve")}
                        </button>
                      </PostForm>
                      <PostForm action={`/admin/withdrawals/${w.id}/reject`} csrf={csrf} class="inline-form">
                        <input type="hidden" name="back" value={back} />
                        <input
                          name="reason"
                          aria-label={t("ops.reason")}
                          placeholder={t("ops.reason")}
                          required
                          maxLength={200}
                          size={8}
                        />
                        <button class="btn btn-ghost btn-sm" type="submit" aria-label={`${t("ops.reject")} #${w.id}`}>
                          {t("ops.reject")}
                        </button>
                      </PostForm>
                    </>
                  )}
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
