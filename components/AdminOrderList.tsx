import { linesText } from "../domain/catalogue/skus.ts";
import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import { ORDER_STATUSES } from "../domain/orders/order_state.ts";
import { can, staffRoleOf } from "../domain/permissions.ts";
import { maskPhone } from "../domain/pii.ts";
import type { ordersForStaff, refundsToReview } from "../services/order_lists.ts";
import { shortTime } from "../domain/shop_time.ts";
import { FormAlert, PostForm } from "./Form.tsx";
import { DecisionForms } from "./DecisionForms.tsx";
import { Icon } from "./Icon.tsx";
import { Pager } from "./Pager.tsx";
import { EmptyRow, KeepFields, type SortDir, SortHeader } from "./DataTable.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** The managers' order list: after-sales to review, filters, bulk shipping, orders with their ship forms. */
export function AdminOrderList(
  { t, user, csrf, message, notice, q, keep, rows, total, refunds, pageSize = 50 }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    /** A refusal (red). */
    message?: string;
    /** A success (a status message). */
    notice?: string;
    q: { status?: string; q?: string; from?: string; to?: string; sort: string; dir: SortDir; page: number };
    /** The filters to keep in links. */
    keep: Record<string, string>;
    rows: Awaited<ReturnType<typeof ordersForStaff>>["rows"];
    total: number;
    /** Rows per page. */
    pageSize?: number;
    refunds: Awaited<ReturnType<typeof refundsToReview>>;
  },
) {
  const viewer = user!;
  const withStatus = (s?: string) => {
    const params = new URLSearchParams({ ...keep });
    params.delete("status");
    if (s) params.set("status", s);
    const text = params.toString();
    return `/admin/orders${text ? `?${text}` : ""}`;
  };
  const csvQuery = new URLSearchParams(keep).toString();
  const seePhones = can(staffRoleOf(viewer), "pii.read");
  const filtered = Boolean(q.status || q.q || q.from || q.to);
  const sortProps = { sort: q.sort, dir: q.dir, query: keep };
  return (
    <section class="stack">
      <h1>{t("ops.orders")}</h1>
      <FormAlert message={message} />
      {notice && <p class="alert" role="status" data-testid="notice">{notice}</p>}
      {refunds.length > 0 && can(staffRoleOf(viewer), "refunds.decide") && (
        <section class="card" aria-labelledby="refund-review">
          <header class="card-head">
            <h2 id="refund-review">{t("ops.refundReview")}</h2>
            <a class="btn btn-ghost btn-sm" href="/admin/refunds?status=requested">{t("list.allRefunds")}</a>
          </header>
          <ul class="plain-list">
            {refunds.map((r) => (
              <li key={r.id}>
                #{r.order_id} · ¥{r.amount} · {t(`refund.kind.${r.kind}`)} · {r.reason}
                <span class="block" data-testid="refund-lines">{linesText(r.items)}</span>
                <DecisionForms base={`/admin/refunds/${r.id}`} csrf={csrf} t={t} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <nav class="chips" aria-label={t("ops.filter")}>
        <a class={!q.status ? "chip active" : "chip"} href={withStatus()} aria-current={!q.status ? "page" : undefined}>
          {t("ops.allOrders")}
        </a>
        {ORDER_STATUSES.map((s) => (
          <a
            key={s}
            class={q.status === s ? "chip active" : "chip"}
            href={withStatus(s)}
            aria-current={q.status === s ? "page" : undefined}
          >
            {t(`status.${s}`)}
          </a>
        ))}
      </nav>
      <form method="get" action="/admin/orders" class="card filters" role="search">
        {q.status && <input type="hidden" name="status" value={q.status} />}
        <KeepFields keep={keep} />
        <label>
          {t("ops.orderSearch")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={60} placeholder={t("ops.orderSearchHint")} />
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
        {filtered && <a class="btn btn-ghost btn-sm" href="/admin/orders">{t("list.reset")}</a>}
      </form>
      {can(staffRoleOf(viewer), "orders.ship") && (
        <form method="post" action="/admin/orders/ship-csv" enctype="multipart/form-data" class="card filters">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {t("ops.bulkShip")}
            <input type="file" name="file" accept=".csv,text/csv" required />
          </label>
          <button class="btn btn-ghost btn-sm" type="submit">{t("cat.upload")}</button>
          <span class="muted">number,carrier,trackingNumber</span>
        </form>
      )}
      <div class="list-meta">
        <span class="muted" role="status" data-testid="count">{t("ops.total", { n: total })}</span>
        <a class="btn btn-ghost btn-sm" href={`/admin/orders.csv${csvQuery ? `?${csvQuery}` : ""}`}>
          <Icon name="download" size={16} />
          CSV
        </a>
      </div>
      <TableScroll label={t("ops.orders")}>
        <table class="table" data-testid="orders">
          <thead>
            <tr>
              <SortHeader label={t("orders.number")} column="created" {...sortProps} />
              <th scope="col">{t("earn.status")}</th>
              <SortHeader label={t("list.amount")} column="total" class="num" {...sortProps} />
              <SortHeader label={t("list.paidAt")} column="paid" {...sortProps} />
              <th scope="col">{t("checkout.name")}</th>
              <th scope="col">{t("checkout.phone")}</th>
              <th scope="col">{t("order.shipping")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={7}
                text={filtered ? t("ops.noOrders") : t("list.noOrdersYet")}
                hint={filtered ? t("look.tryOtherFilter") : t("list.noOrdersHint")}
                icon="orders"
              />
            )}
            {rows.map((o) => (
              <tr key={o.id} data-order={o.number}>
                <td>
                  <a href={`/admin/orders/${o.id}`}>{o.number}</a>
                  <span class="muted block">{shortTime(new Date(o.created_at).toISOString())}</span>
                </td>
                <td>
                  <span class={`status status-${o.status}`}>{t(`status.${o.status}`)}</span>
                </td>
                <td class="num">¥{o.total}</td>
                <td>{o.paid_at ? shortTime(new Date(o.paid_at).toISOString()) : <span class="muted">—</span>}</td>
                <td>{o.address.name}</td>
                <td>{seePhones ? o.address.phone : maskPhone(o.address.phone ?? "")}</td>
                <td>
                  {o.status === "paid" && can(staffRoleOf(viewer), "orders.ship")
                    ? (
                      <PostForm action={`/admin/orders/${o.id}/ship`} csrf={csrf} class="inline-form">
                        <input
                          name="carrier"
                          aria-label={t("ops.carrier")}
                          placeholder={t("ops.carrier")}
                          required
                          maxLength={60}
                          size={6}
                        />
                        <input
                          name="trackingNumber"
                          aria-label={t("ops.tracking")}
                          placeholder={t("ops.tracking")}
                          required
                          maxLength={60}
                          size={12}
                        />
                        <button
                          class="btn btn-primary btn-sm"
                          type="submit"
                          aria-label={`${t("ops.ship")} ${o.number}`}
                        >
                          {t("ops.ship")}
                        </button>
                      </PostForm>
                    )
                    : o.carrier
                    ? `${o.carrier} ${o.tracking_number}`
                    : "—"}
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
