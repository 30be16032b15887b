import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { formAction } from "../../../lib/form_action.ts";
import { orderForViewer, orderView } from "../../../services/orders.ts";
import { refundsOfOrder, refundView } from "../../../services/refunds.ts";
import { lastEventId } from "../../../services/live.ts";
import { OrderDetail } from "../../../components/OrderDetail.tsx";

/** The order page (its buyer's, or a manager's view), with a refusal's message. */
export async function orderPage(c: Ctx, orderId: string, message?: string) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const user = c.get("user")!;
  const eventId = await lastEventId(db);
  const row = await orderForViewer(db, orderId, user);
  const order = await orderView(db, row, c.get("locale"));
  const mine = String(row.user_id) === String(user.id);
  const refunds = await Promise.all((await refundsOfOrder(db, orderId)).map((r) => refundView(db, r)));
  const props = { t, csrf: c.get("csrf"), order, refunds, mine, lastEventId: eventId, message };
  return renderPage(c, <OrderDetail {...props} />, { title: t("order.title", { number: order.number }) });
}

/** A buyer's button on the order page: back to the order, or the order with why it was refused (409). */
export function orderAction(c: Ctx, run: () => Promise<unknown>) {
  const id = c.req.param("id")!;
  return formAction(c, {
    run,
    back: `/orders/${id}`,
    page: (message) => orderPage(c, id, message),
    shows: (err) => err.status === 409,
  });
}
