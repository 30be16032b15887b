import { linesText } from "../domain/catalogue/skus.ts";
import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { can, staffRoleOf } from "../domain/permissions.ts";
import { shortTime } from "../domain/shop_time.ts";
import { REFUND_KINDS, REFUND_STATUSES, type RefundListRow } from "../services/order_lists.ts";
import { listHref } from "../lib/list_query.ts";
import { FormAlert } from "./Form.tsx";
import { DecisionForms } from "./DecisionForms.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** Every after-sales request (by status and kind, searchable by order number, sortable), deciding waiting ones. */
export function RefundList(
  { t, user, csrf, message, rows, q, keep, total, pageSize }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: string;
    rows: RefundListRow[];
    q: { status?: string; kind?: string; q?: string; sort: string; dir: SortDir; page: number };
    /** The filters and sort to keep in links. */
    keep: Record<string, string>;
    total: number;
    pageSize: number;
  },
) {
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  const filtered = Boolean(q.status || q.kind || q.q);
  const withStatus = (s?: string) => {
    const { status: _, ...rest } = keep;
    return listHref("/admin/refunds", s ? { ...rest, status: s } : rest);
  };
  const decide = can(staffRoleOf(user!), "refunds.decide");
  const back = listHref("/admin/refunds", keep, q.page);
  const query = new URLSearchParams({ ...keep, ...(q.page > 1 ? { page: String(q.page) } : {}), from: "refunds" })
    .toString();
  return (
    <section class="stack">
      <h1>{t("list.refunds")}</h1>
      <FormAlert message={message} />
      <nav class="chips" aria-label={t("look.filterStatus")}>
        <a class={!q.status ? "chip active" : "chip"} href={withStatus()} aria-current={!q.status ? "page" : undefined}>
          {t("look.allRecent")}
        </a>
        {REFUND_STATUSES.map((s) => (
          <a
            key={s}
            class={q.status === s ? "chip active" : "chip"}
            href={withStatus(s)}
            aria-current={q.status === s ? "page" : undefined}
          >
            {t(`refund.status.${s}`)}
          </a>
        ))}
      </nav>
      <form method="get" action="/admin/refunds" class="card filters" role="search">
        <KeepFields keep={keep} names={["status", "sort", "dir"]} />
        <label>
          {t("list.orderOrRefund")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={60} />
        </label>
        <label>
          {t("refund.kind")}
          <select name="kind">
            <option value="">{t("list.anyKind")}</option>
            {REFUND_KINDS.map((k) => <option key={k} value={k} selected={q.kind === k}>{t(`refund.kind.${k}`)}
            </option>)}
          </select>
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/refunds">{t("list.reset")}</a>}
        <span class="muted" role="status" data-testid="count">{t("list.count", { n: total })}</span>
      </form>
      <TableScroll label={t("list.refunds")}>
        <table class="table" data-testid="refunds">
          <thead>
            <tr>
              <SortHeader label="#" column="created" {...sortProps} />
              <th scope="col">{t("orders.number")}</th>
              <th scope="col">{t("refund.items")}</th>
              <th scope="col">{t("refund.kind")}</th>
              <th scope="col">{t("earn.status")}</th>
              <SortHeader label={t("list.amount")} column="amount" class="num" {...sortProps} />
              <th scope="col">{t("refund.reason")}</th>
              <th scope="col">{t("ops.action")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={8}
                text={filtered ? t("list.noMatch") : t("list.noRefunds")}
                hint={filtered ? t("look.tryOtherFilter") : t("list.noRefundsHint")}
                icon="afterSales"
              />
            )}
            {rows.map((r) => (
              <tr key={r.id} data-id={r.id}>
                <td>
                  {r.id}
                  <span class="muted block">{shortTime(new Date(r.created_at).toISOString())}</span>
                </td>
                <td>
                  <a href={`/admin/orders/${r.order_id}`}>{r.number}</a>
                  <span class="muted block">{r.buyer}</span>
                </td>
                <td class="wrap" data-testid="refund-lines">{linesText(r.items)}</td>
                <td>{t(`refund.kind.${r.kind}`)}</td>
                <td>
                  <span class={`status status-refund-${r.status}`}>{t(`refund.status.${r.status}`)}</span>
                </td>
                <td class="num">¥{r.amount}</td>
                <td class="wrap">
                  {r.reason}
                  {r.decision_note && <span class="muted block">{r.decision_note}</span>}
                </td>
                <td>
                  {r.status === "requested" && decide
                    ? (
                      <DecisionForms
                        base={`/admin/refunds/${r.id}`}
                        csrf={csrf}
                        t={t}
                        back={back}
                        query={query}
                        subject={`#${r.id}`}
                      />
                    )
                    : r.decided_at
                    ? <span class="muted">{shortTime(new Date(r.decided_at).toISOString())}</span>
                    : <span class="muted">—</span>}
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
