import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive } from "../client/live.ts";

/** A SKU at or below its low-stock threshold, with its restock forecast when the page knew it. */
export interface StockAlert {
  productId: string;
  /** The SKU (absent for an event from before SKUs were named). */
  skuId?: string;
  /** The product's name with the SKU's specs ("T 恤 红色/M"). */
  name: string;
  stock: number;
  threshold: number;
  /** Whole days the SKU lasts at its 14-day rate (null: it does not sell); absent for a live alert. */
  daysLeft?: number | null;
  /** Units to reorder now; absent for a live alert. */
  suggestedReorder?: number;
}

/** Props: current low-stock SKUs, the event id they include, labels. */
export interface StockAlertsProps {
  [key: string]: unknown;
  alerts: StockAlert[];
  lastEventId: number;
  /** `left`, `days` and `reorder` hold `{n}`. */
  labels: { title: string; none: string; left: string; days: string; reorder: string };
}

const keyOf = (a: { productId: string; skuId?: string }) => a.skuId ?? `p${a.productId}`;

/** Low-stock alerts for managers, per SKU; a SKU crossing its threshold appears at once and goes when restocked. */
export default function StockAlerts(props: StockAlertsProps) {
  const alerts = useSignal(props.alerts);
  const fresh = useSignal<string | null>(null);
  useEffect(() => {
    const live = connectLive(props.lastEventId, (e) => {
      if (e.type !== "stock_low" && e.type !== "stock_ok") return;
      const d = e.data;
      const key = keyOf(d);
      // An event without a SKU (older) clears or replaces the product's alerts as a whole.
      const others = alerts.peek().filter((a) => d.skuId ? keyOf(a) !== key : a.productId !== d.productId);
      if (e.type === "stock_ok") {
        alerts.value = others;
        return;
      }
      alerts.value = [
        { productId: d.productId, skuId: d.skuId, name: d.name, stock: d.stock, threshold: d.threshold },
        ...others,
      ].slice(0, 20);
      fresh.value = key;
    });
    return () => live.close();
  }, []);
  const n = (text: string, value: number) => text.replace("{n}", String(value));
  return (
    <section class="card" aria-labelledby="stock-alerts" aria-live="polite">
      <h2 id="stock-alerts">{props.labels.title}</h2>
      {alerts.value.length === 0
        ? <p class="muted">{props.labels.none}</p>
        : (
          <ul class="plain-list" data-testid="stock-alerts">
            {alerts.value.map((a) => (
              <li key={keyOf(a)} class={fresh.value === keyOf(a) ? "flash" : ""} data-sku={a.skuId}>
                <a href={`/admin/products/${a.productId}/edit#restock`}>{a.name}</a>{" "}
                <span class="badge badge-warn">{n(props.labels.left, a.stock)}</span>
                {a.daysLeft != null && <span class="muted">{n(props.labels.days, a.daysLeft)}</span>}
                {a.suggestedReorder != null && a.suggestedReorder > 0 && (
                  <span class="muted" data-testid="reorder">{n(props.labels.reorder, a.suggestedReorder)}</span>
                )}
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
