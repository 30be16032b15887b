import type { Handlers } from "../../lib/fs_router.ts";
import type { Translator } from "../../i18n/messages.ts";
import { renderPage } from "../../lib/render.tsx";
import { ordersOfMember } from "../../services/order_lists.ts";

/** `/orders`: the member's orders, newest first. */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const { rows } = await ordersOfMember(c.get("deps").db, String(c.get("user")!.id), 50, 0);
    return renderPage(c, <MyOrders t={t} rows={rows} />, { title: t("orders.title") });
  },
};

/** The member's order list. */
export default function MyOrders(
  { t, rows }: { t: Translator; rows: Awaited<ReturnType<typeof ordersOfMember>>["rows"] },
) {
  return (
    <section class={rows.length ? "stack order-column" : "stack"}>
      <h1>{t("orders.title")}</h1>
      {rows.length === 0
        ? (
          <p class="empty-state">
            {t("orders.empty")} <a href="/">{t("error.home")}</a>
          </p>
        )
        : (
          <ul class="order-list">
            {rows.map((o) => (
              <li key={o.id} class="card">
                <a href={`/orders/${o.id}`} class="order-row">
                  <span>{t("orders.number")} {o.number}</span>
                  <span class={`status status-${o.status}`}>{t(`status.${o.status}`)}</span>
                  <strong>¥{o.total}</strong>
                </a>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
