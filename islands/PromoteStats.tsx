import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveEvent, type LiveStatus } from "../client/live.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";

/** Link totals as the server counts them. */
export interface PromoteTotals {
  clicks: number;
  registrations: number;
  orders: number;
}

/** One product's link figures. */
export interface PromoteProductRow {
  productId: string;
  name: string;
  clicks: number;
  orders: number;
}

/** Labels in the visitor's language. */
export interface PromoteStatsLabels {
  title: string;
  clicks: string;
  registrations: string;
  orders: string;
  conversion: string;
  hint: string;
  byProduct: string;
  product: string;
  none: string;
  status: Record<LiveStatus, string>;
}

/** Props: the server's snapshot, the id of the last event it includes, and where to re-read it. */
export interface PromoteStatsProps {
  [key: string]: unknown;
  memberId: string;
  totals: PromoteTotals;
  products: PromoteProductRow[];
  lastEventId: number;
  /** JSON of `{ totals, products }` for the signed-in member. */
  statsUrl: string;
  labels: PromoteStatsLabels;
}

/** Conversion as a percentage with one decimal (orders ÷ clicks), or "—" before the first click. */
export function conversion(orders: number, clicks: number): string {
  if (!clicks) return "—";
  return `${(Math.round((orders / clicks) * 1000) / 10).toFixed(1)}%`;
}

const REFRESH_DELAY_MS = 800;

/**
 * The distributor's link statistics, live: a click on their link (`link_click`) and a member
 * joining under them (`member_joined`) count at once; a sale (`sale`) re-reads the figures from
 * the server, which knows which paid orders came through the link.
 */
export default function PromoteStats(props: PromoteStatsProps) {
  const totals = useSignal(props.totals);
  const products = useSignal(props.products);
  const status = useSignal<LiveStatus>("connecting");
  const flash = useSignal<keyof PromoteTotals | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let flashTimer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const refresh = async () => {
      try {
        const res = await fetch(props.statsUrl, {
          headers: { accept: "application/json" },
          credentials: "same-origin",
        });
        if (!res.ok || closed) return;
        const body = await res.json() as { totals: PromoteTotals; products: PromoteProductRow[] };
        totals.value = body.totals;
        products.value = body.products;
      } catch {
        // Offline: the next event or visit refreshes again.
      }
    };
    const refreshSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, REFRESH_DELAY_MS);
    };
    const bump = (key: keyof PromoteTotals) => {
      totals.value = { ...totals.peek(), [key]: totals.peek()[key] + 1 };
      flash.value = key;
      clearTimeout(flashTimer);
      flashTimer = setTimeout(() => (flash.value = null), 800);
    };
    const live = connectLive(props.lastEventId, (e: LiveEvent) => {
      if (e.type === "link_click") {
        bump("clicks");
        const productId = e.data.productId == null ? null : String(e.data.productId);
        if (!productId) return;
        const rows = products.peek();
        if (rows.some((r) => r.productId === productId)) {
          products.value = rows.map((r) => r.productId === productId ? { ...r, clicks: r.clicks + 1 } : r);
        } else refreshSoon(); // a product not listed yet: the server knows its name
      } else if (e.type === "member_joined") {
        if (String(e.data.uplineId) === props.memberId) bump("registrations");
      } else if (e.type === "sale") {
        refreshSoon();
      }
    });
    const stop = live.status.subscribe((s) => (status.value = s));
    const onVisible = () => {
      if (document.visibilityState === "visible") refreshSoon();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      closed = true;
      clearTimeout(timer);
      clearTimeout(flashTimer);
      document.removeEventListener("visibilitychange", onVisible);
      stop();
      live.close();
    };
  }, []);

  const l = props.labels;
  const t = totals.value;
  const stat = (key: keyof PromoteTotals, label: string) => (
    <div class={flash.value === key ? "stat flash" : "stat"}>
      <span class="stat-label">{label}</span>
      <strong class="stat-value" data-testid={`promote-${key}`}>{t[key]}</strong>
    </div>
  );
  return (
    <section class="card live-card" aria-labelledby="promote-stats-title">
      <header class="card-head">
        <h2 id="promote-stats-title">{l.title}</h2>
        <LiveIndicator status={status.value} labels={l.status} />
      </header>
      <div class="stats">
        {stat("clicks", l.clicks)}
        {stat("registrations", l.registrations)}
        {stat("orders", l.orders)}
        <div class="stat">
          <span class="stat-label">{l.conversion}</span>
          <strong class="stat-value" data-testid="promote-conversion">{conversion(t.orders, t.clicks)}</strong>
        </div>
      </div>
      <p class="muted">{l.hint}</p>
      <h3>{l.byProduct}</h3>
      {products.value.length === 0 ? <p class="muted">{l.none}</p> : (
        <div style="overflow-x:auto">
          <table data-testid="promote-products">
            <thead>
              <tr>
                <th scope="col">{l.product}</th>
                <th scope="col" class="num">{l.clicks}</th>
                <th scope="col" class="num">{l.orders}</th>
                <th scope="col" class="num">{l.conversion}</th>
              </tr>
            </thead>
            <tbody>
              {products.value.map((p) => (
                <tr key={p.productId} data-product-id={p.productId}>
                  <td>
                    <a href={`/products/${p.productId}`}>{p.name}</a>
                  </td>
                  <td class="num">{p.clicks}</td>
                  <td class="num">{p.orders}</td>
                  <td class="num">{conversion(p.orders, p.clicks)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
