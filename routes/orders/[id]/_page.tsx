import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { formAction } from "../../../lib/form_action.ts";
import { orderPageData } from "../../../services/order_page.ts";
import { lastEventId } from "../../../services/live.ts";
import { OrderDetail } from "../../../components/OrderDetail.tsx";

/** The order page (its buyer's, or a manager's view), with a refusal's message. */
export async function orderPage(c: Ctx, orderId: string, message?: string, status = 200) {
  const t = c.get("t");
  const { db, box, shop } = c.get("deps");
  const eventId = await lastEventId(db);
  const data = await orderPageData(db, box, orderId, c.get("user")!, c.get("locale"));
  const props = { t, csrf: c.get("csrf"), ...data, lastEventId: eventId, message, now: shop.now().toISOString() };
  return renderPage(c, <OrderDetail {...props} />, { title: t("order.title", { number: data.order.number }), status });
}

/** A buyer's button on the order page: back to the order, or the order with why it was refused (409). */
export function orderAction(c: Ctx, run: () => Promise<unknown>) {
  const id = c.req.param("id")!;
  return formAction(c, {
    run,
    back: `/orders/${id}`,
    page: (message, status) => orderPage(c, id, message, status),
    shows: (err) => err.status === 409,
  });
}
