import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive } from "../client/live.ts";

/** A product at or below its low-stock threshold. */
export interface StockAlert {
  productId: string;
  name: string;
  stock: number;
  threshold: number;
}

/** Props: current low-stock products, the event id they include, labels. */
export interface StockAlertsProps {
  [key: string]: unknown;
  alerts: StockAlert[];
  lastEventId: number;
  labels: { title: string; none: string; left: string };
}

/** Low-stock alerts for managers; a product crossing its threshold appears at once and goes when restocked. */
export default function StockAlerts(props: StockAlertsProps) {
  const alerts = useSignal(props.alerts);
  const fresh = useSignal<string | null>(null);
  useEffect(() => {
    const live = connectLive(props.lastEventId, (e) => {
      if (e.type === "stock_ok") {
        alerts.value = alerts.peek().filter((a) => a.productId !== e.data.productId);
        return;
      }
      if (e.type !== "stock_low") return;
      const d = e.data;
      alerts.value = [
        { productId: d.productId, name: d.name, stock: d.stock, threshold: d.threshold },
        ...alerts.peek().filter((a) => a.productId !== d.productId),
      ]
        .slice(0, 20);
      fresh.value = d.productId;
    });
    return () => live.close();
  }, []);
  return (
    <section class="card" aria-labelledby="stock-alerts" aria-live="polite">
      <h2 id="stock-alerts">{props.labels.title}</h2>
      {alerts.value.length === 0
        ? <p class="muted">{props.labels.none}</p>
        : (
          <ul class="plain-list" data-testid="stock-alerts">
            {alerts.value.map((a) => (
              <li key={a.productId} class={fresh.value === a.productId ? "flash" : ""}>
                <a href={`/admin/products/${a.productId}/edit`}>{a.name}</a>{" "}
                <span class="badge badge-warn">{props.labels.left.replace("{n}", String(a.stock))}</span>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
