import { z } from "zod";
import type { Ctx } from "../../../lib/app_env.ts";
import { keepQuery, listQuerySchema, readListQuery } from "../../../lib/list_query.ts";
import { renderPage } from "../../../lib/render.tsx";
import { ORDER_STATUSES } from "../../../domain/orders/order_state.ts";
import { ORDER_LIST_SORTS, ordersForStaff, refundsToReview } from "../../../services/order_lists.ts";
import { AdminOrderList } from "../../../components/AdminOrderList.tsx";
import { appConfig } from "../../../fresh.config.ts";
import { text } from "../../../lib/text.ts";
import { says } from "../../../i18n/messages.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, says("validation.day")).optional();
/** The managers' order list: filters, sort and page (also carried into the CSV download). */
export const orderFilterSchema = listQuerySchema({
  sorts: ORDER_LIST_SORTS,
  sort: "created",
  dir: "desc",
  filters: {
    status: z.enum(ORDER_STATUSES, says("list.err.status")).optional(),
    q: text().trim().max(60).optional(),
    from: day,
    to: day,
  },
});
/** Rows per page of the order list. */
export const ORDER_PAGE_SIZE = 50;

/** The list filters as `listOrders` takes them, and as a query string for links that keep them. */
export function orderFilter(c: Ctx) {
  const q = readListQuery(c, orderFilterSchema);
  const filter = {
    status: q.status,
    q: q.q || undefined,
    from: q.from,
    to: q.to,
    timeZone: appConfig.timeZone,
    sort: q.sort,
    dir: q.dir,
  };
  return { q, filter, keep: keepQuery(q, { sort: "created", dir: "desc" }) };
}

/** The order list; `message` is a refusal (red), `notice` a success (a status message). */
export async function ordersPage(c: Ctx, message?: string, status = 200, notice?: string) {
  const t = c.get("t");
  const { q, filter, keep } = orderFilter(c);
  const db = c.get("deps").db;
  const [{ rows, total }, refunds] = await Promise.all([
    ordersForStaff(db, c.get("deps").box, {
      ...filter,
      limit: ORDER_PAGE_SIZE,
      offset: (q.page - 1) * ORDER_PAGE_SIZE,
    }),
    refundsToReview(db, 50),
  ]);
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, notice, q, keep };
  return renderPage(c, <AdminOrderList {...props} rows={rows} total={total} refunds={refunds} />, {
    title: t("ops.orders"),
    status,
  });
}
