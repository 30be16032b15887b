import { z } from "zod";
import type { Ctx } from "../../../lib/app_env.ts";
import { readQuery } from "../../../lib/http.ts";
import { renderPage } from "../../../lib/render.tsx";
import { ORDER_STATUSES } from "../../../domain/orders/order_state.ts";
import { ordersForStaff, refundsToReview } from "../../../services/order_lists.ts";
import { AdminOrderList } from "../../../components/AdminOrderList.tsx";
import { appConfig } from "../../../fresh.config.ts";
import { text } from "../../../lib/text.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22").optional().or(z.literal(""));
/** The managers' order list filters (also carried into the CSV download). */
export const orderFilterSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().or(z.literal("")),
  q: text().trim().max(60).optional(),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

/** The list filters as `listOrders` takes them, and as a query string for links that keep them. */
export function orderFilter(c: Ctx) {
  const q = readQuery(c, orderFilterSchema);
  const filter = {
    status: q.status || undefined,
    q: q.q || undefined,
    from: q.from || undefined,
    to: q.to || undefined,
    timeZone: appConfig.timeZone,
  };
  const keep = Object.fromEntries(
    Object.entries({ status: q.status, q: q.q, from: q.from, to: q.to }).filter(([, v]) => v) as [string, string][],
  );
  return { q, filter, keep };
}

/** The order list; `message` is a refusal (red), `notice` a success (a status message). */
export async function ordersPage(c: Ctx, message?: string, status = 200, notice?: string) {
  const t = c.get("t");
  const { q, filter, keep } = orderFilter(c);
  const db = c.get("deps").db;
  const { rows, total } = await ordersForStaff(db, c.get("deps").box, {
    ...filter,
    limit: 50,
    offset: (q.page - 1) * 50,
  });
  const refunds = await refundsToReview(db, 50);
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, notice, q, keep };
  return renderPage(c, <AdminOrderList {...props} rows={rows} total={total} refunds={refunds} />, {
    title: t("ops.orders"),
    status,
  });
}
