import type { Translator } from "../i18n/messages.ts";
import type { OrderCard, OrderTab } from "../services/order_lists.ts";
import { shopDateTime, shortTime } from "../domain/shop_time.ts";
import { ProductImg } from "./ProductImg.tsx";
import { specsText } from "../domain/catalogue/skus.ts";
import { EmptyState } from "./DataTable.tsx";
import { Pager } from "./Pager.tsx";

/** Thumbnails shown per order card before "+n". */
const THUMBS = 4;

/** One order in the member's list: date and status, its products' pictures (names for one line), units and total. */
function OrderCardItem({ t, o, csrf }: { t: Translator; o: OrderCard; csrf: string }) {
  const single = o.items.length === 1 ? o.items[0] : null;
  return (
    <li class="card order-card" data-testid="order-card">
      <div class="order-card-head">
        <time dateTime={o.createdAt} data-testid="order-date">{shopDateTime(o.createdAt)}</time>
        <span class={`status status-${o.status}`}>{t(`status.${o.status}`)}</span>
      </div>
      <a class="order-card-body" href={`/orders/${o.id}`}>
        <span class="sr-only">{t("orders.open", { number: o.number })}</span>
        <span class="order-thumbs">
          {o.items.slice(0, THUMBS).map((i, n) => (
            <ProductImg key={`${i.productId}-${n}`} id={i.productId} size={64} class="order-thumb" />
          ))}
          {o.items.length > THUMBS && <span class="order-thumb-more">+{o.items.length - THUMBS}</span>}
        </span>
        {single && (
          <span class="order-card-name">
            <span>{single.name}</span>
            {Object.keys(single.specs).length > 0 && <span class="sku-specs">{specsText(single.specs)}</span>}
          </span>
        )}
      </a>
      <div class="order-card-foot">
        <span class="muted order-card-number">{t("orders.number")} {o.number}</span>
        <span class="order-card-sum">
          {t("orders.units", { n: o.units })} <span class="muted">{t("orders.paid")}</span> <strong>¥{o.total}</strong>
        </span>
      </div>
      {o.status === "pending_payment" && (
        <div class="order-card-actions">
          <span class="muted">{t("orders.payBy", { time: shortTime(o.expiresAt) })}</span>
          <form method="post" action={`/orders/${o.id}/pay`} class="inline-form">
            <input type="hidden" name="_csrf" value={csrf} />
            <button class="btn btn-primary btn-sm" type="submit">{t("order.pay")}</button>
          </form>
        </div>
      )}
    </li>
  );
}

/** The member's order list with its status tabs, cards with thumbnails and dates, and pages. */
export function MyOrderList(
  { t, csrf, tabs, tab, cards, total, page, pageSize }: {
    t: Translator;
    csrf: string;
    tabs: readonly OrderTab[];
    tab: OrderTab;
    cards: OrderCard[];
    total: number;
    page: number;
    pageSize: number;
  },
) {
  return (
    <section class="stack order-column my-orders">
      <h1>{t("orders.title")}</h1>
      <nav class="chips order-tabs" aria-label={t("orders.tabs")}>
        {tabs.map((k) => (
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
      {cards.length === 0
        ? (
          <EmptyState icon="bag" text={tab === "all" ? t("orders.empty") : t("orders.emptyTab")}>
            <a class="btn btn-primary" href="/">{t("orders.goShopping")}</a>
          </EmptyState>
        )
        : (
          <ul class="order-list">
            {cards.map((o) => <OrderCardItem key={o.id} t={t} o={o} csrf={csrf} />)}
          </ul>
        )}
      <Pager page={page} pageSize={pageSize} total={total} baseQuery={tab === "all" ? {} : { tab }} t={t} />
    </section>
  );
}
