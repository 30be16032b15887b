import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import type { MessageKey, Translator } from "../../i18n/messages.ts";
import { renderPage } from "../../lib/render.tsx";
import { ORDER_TABS, ordersOfMember, type OrderTab } from "../../services/order_lists.ts";

const TAB_KEYS = Object.keys(ORDER_TABS) as OrderTab[];
const pageQuery = z.object({ tab: z.enum(TAB_KEYS as [OrderTab, ...OrderTab[]]).catch("all").default("all") });

/** `/orders?tab=`: the member's orders, newest first, in status tabs (全部/待付款/待发货/待收货/已完成/售后). */
export const handler: Handlers = {
  async GET(c) {
    const t = c.get("t");
    const { tab } = pageQuery.parse(c.req.query());
    const { rows } = await ordersOfMember(c.get("deps").db, String(c.get("user")!.id), 50, 0, ORDER_TABS[tab]);
    return renderPage(c, <MyOrders t={t} rows={rows} tab={tab} />, { title: t("orders.title") });
  },
};

/** The member's order list with its status tabs. */
export default function MyOrders(
  { t, rows, tab = "all" }: {
    t: Translator;
    rows: Awaited<ReturnType<typeof ordersOfMember>>["rows"];
    tab?: OrderTab;
  },
) {
  return (
    <section class={rows.length ? "stack order-column" : "stack"}>
      <h1>{t("orders.title")}</h1>
      <nav class="chips" aria-label={t("orders.tabs")}>
        {TAB_KEYS.map((k) => (
          <a
            key={k}
            href={k === "all" ? "/orders" : `/orders?tab=${k}`}
            class={k === tab ? "chip active" : "chip"}
            aria-current={k === tab ? "page" : undefined}
          >
            {t(`orders.tab.${k}`)}
          </a>
        ))}
      </nav>
      {rows.length === 0
        ? (
          <p class="empty-state">
            {tab === "all" ? t("orders.empty") : t("orders.emptyTab")} <a href="/">{t("error.home")}</a>
          </p>
        )
        : (
          <ul class="order-list">
            {rows.map((o) => (
              <li key={o.id} class="card">
                <a href={`/orders/${o.id}`} class="order-row">
                  <span>{t("orders.number")} {o.number}</span>
                  <span class={`status status-${o.status}`}>{t(`status.${o.status}` as MessageKey)}</span>
                  <strong>¥{o.total}</strong>
                </a>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
