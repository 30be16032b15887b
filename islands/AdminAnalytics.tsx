import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveStatus } from "../client/live.ts";
import { type AnalyticsState, applyAnalyticsEvent, figuresOf } from "../client/analytics_model.ts";
import { createMinuteChart } from "../client/minute_chart.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";

/** Props: the snapshot's live state, yesterday's figures at this time, the event id it includes, labels. */
export interface AdminAnalyticsProps {
  [key: string]: unknown;
  state: AnalyticsState;
  /** The same figures yesterday up to this time of day. */
  yesterday: { gmv: string; orders: number; averageOrder: string; conversion: string };
  lastEventId: number;
  /** When the tables are filtered, live events update only the all-shop figures. */
  filtered: boolean;
  /** The filters as a query string, carried into the table downloads. */
  exportQuery: string;
  labels: Record<string, string>;
  statusLabels: Record<LiveStatus, string>;
}

const pct = (ratio: string) => `${(Number(ratio) * 100).toFixed(1)}%`;

/** The manager's live analytics home: GMV, orders, conversion, orders per minute, top products, commission cost. */
export default function AdminAnalytics(props: AdminAnalyticsProps) {
  const state = useSignal(props.state);
  const status = useSignal<LiveStatus>("connecting");
  const flash = useSignal(0);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const chart = canvas.current
      ? createMinuteChart(canvas.current, state.peek().perMinute, props.labels.ordersPerMinute)
      : null;
    const live = connectLive(props.lastEventId, (e) => {
      const applied = applyAnalyticsEvent(state.peek(), e);
      const prev = state.peek();
      const next = props.filtered
        ? {
          ...applied,
          topProducts: prev.topProducts,
          commissionByTier: prev.commissionByTier,
          topDistributors: prev.topDistributors,
        }
        : applied;
      state.value = next;
      flash.value = Date.now();
      chart?.update(next.perMinute);
    });
    const stop = live.status.subscribe((s) => (status.value = s));
    return () => {
      stop();
      live.close();
    };
  }, []);

  const s = state.value;
  const l = props.labels;
  const fig = figuresOf(s);
  const fresh = Date.now() - flash.value < 900;
  const statClass = fresh ? "card stat flash" : "card stat";
  const downloads = (table: string) => (
    <span class="actions">
      {["csv", "xlsx"].map((ext) => (
        <a
          key={ext}
          class="btn btn-ghost btn-sm"
          href={`/admin/analytics/${table}.${ext}${props.exportQuery ? `?${props.exportQuery}` : ""}`}
          aria-label={`${
            l[table === "top-products" ? "topProducts" : table === "top-distributors" ? "topDistributors" : "byTier"]
          } ${ext.toUpperCase()}`}
        >
          {ext.toUpperCase()}
        </a>
      ))}
    </span>
  );
  return (
    <section class="stack analytics">
      <header class="card-head">
        <h2>{l.title}</h2>
        <LiveIndicator status={status.value} labels={props.statusLabels} />
      </header>
      <div class="grid kpis">
        <div class={statClass}>
          <span class="stat-label">{l.gmv}</span>
          <strong class="stat-value" data-testid="gmv">¥{s.gmv}</strong>
          <span class="muted">{l.yesterday} ¥{props.yesterday.gmv}</span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.orders}</span>
          <strong class="stat-value" data-testid="orders">{s.orders}</strong>
          <span class="muted">{l.yesterday} {props.yesterday.orders}</span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.aov}</span>
          <strong class="stat-value" data-testid="aov">¥{fig.averageOrder}</strong>
          <span class="muted">{l.yesterday} ¥{props.yesterday.averageOrder}</span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.conversion}</span>
          <strong class="stat-value" data-testid="conversion">{pct(fig.conversion)}</strong>
          <span class="muted">
            {l.visitors} <span data-testid="visitors">{s.visitors}</span> · {l.yesterday}{" "}
            {pct(props.yesterday.conversion)}
          </span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.commissionShare}</span>
          <strong class="stat-value" data-testid="commission-share">{pct(fig.commissionShare)}</strong>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.repurchase}</span>
          <strong class="stat-value" data-testid="repurchase">{pct(fig.repurchaseRate)}</strong>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.ltv}</span>
          <strong class="stat-value" data-testid="ltv">¥{fig.lifetimeValue}</strong>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.slow}</span>
          <strong class="stat-value" data-testid="slow">{pct(fig.slowShare)}</strong>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.newMembers}</span>
          <strong class="stat-value" data-testid="new-members">{s.newMembers}</strong>
          <span class="muted">
            {l.newDistributors} <span data-testid="new-distributors">{s.newDistributors}</span>
          </span>
        </div>
      </div>
      <div class="card">
        <h3>{l.ordersPerMinute}</h3>
        <div class="chart-box">
          <canvas ref={canvas} role="img" aria-label={l.ordersPerMinute} />
        </div>
      </div>
      <div class="card">
        <header class="card-head">
          <h3>{l.topProducts}</h3>
          {downloads("top-products")}
        </header>
        <div class="table-scroll">
          <table class="table" data-testid="top-products">
            <thead>
              <tr>
                <th scope="col">{l.product}</th>
                <th scope="col">{l.units}</th>
                <th scope="col">{l.sales}</th>
              </tr>
            </thead>
            <tbody>
              {s.topProducts.slice(0, 10).map((p) => (
                <tr key={p.productId}>
                  <td>{p.name}</td>
                  <td>{p.units}</td>
                  <td>¥{p.sales}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div class="grid split">
        <div class="card">
          <header class="card-head">
            <h3>{l.byTier}</h3>
            {downloads("commission-by-tier")}
          </header>
          {s.commissionByTier.length
            ? (
              <ul class="plain-list" data-testid="by-tier">
                {s.commissionByTier.map((t) => <li key={t.tier}>{l[`tier${t.tier}`]}: ¥{t.amount}</li>)}
              </ul>
            )
            : <p class="muted">{l.none}</p>}
        </div>
        <div class="card">
          <header class="card-head">
            <h3>{l.topDistributors}</h3>
            {downloads("top-distributors")}
          </header>
          <div class="table-scroll">
            <table class="table" data-testid="top-distributors">
              <thead>
                <tr>
                  <th scope="col">{l.distributor}</th>
                  <th scope="col">{l.sales}</th>
                  <th scope="col">{l.commission}</th>
                </tr>
              </thead>
              <tbody>
                {s.topDistributors.slice(0, 10).map((d) => (
                  <tr key={d.id}>
                    <td>{d.name}</td>
                    <td>¥{d.sales}</td>
                    <td>¥{d.commission}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {s.topDistributors.length ? null : <p class="muted">{l.none}</p>}
        </div>
      </div>
    </section>
  );
}
