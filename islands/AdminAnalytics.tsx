import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveStatus } from "../client/live.ts";
import { type AnalyticsState, applyAnalyticsEvent } from "../client/analytics_model.ts";
import { createMinuteChart } from "../client/minute_chart.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";

/** Props: the snapshot's live part, fixed figures, the event id it includes, labels. */
export interface AdminAnalyticsProps {
  [key: string]: unknown;
  state: AnalyticsState;
  fixed: {
    gmvYesterday: string;
    ordersYesterday: number;
    visitors: number;
    conversion: string;
    slowShare: string;
    repurchaseRate: string;
    lifetimeValue: string;
    newDistributors: number;
    topDistributors: { id: string; name: string; sales: string; commission: string }[];
  };
  lastEventId: number;
  /** When the tables are filtered, live events update only the all-shop figures. */
  filtered: boolean;
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
      const next = props.filtered
        ? { ...applied, topProducts: state.peek().topProducts, commissionByTier: state.peek().commissionByTier }
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
  const f = props.fixed;
  const l = props.labels;
  const aov = s.orders ? (Number(s.gmv) / s.orders).toFixed(2) : "0.00";
  const share = Number(s.gmv30) > 0 ? (Number(s.commission30) / Number(s.gmv30)).toFixed(4) : "0";
  const fresh = Date.now() - flash.value < 900;
  return (
    <section class="stack analytics">
      <header class="card-head">
        <h2>{l.title}</h2>
        <LiveIndicator status={status.value} labels={props.statusLabels} />
      </header>
      <div class="grid kpis">
        <div class={fresh ? "card stat flash" : "card stat"}>
          <span class="stat-label">{l.gmv}</span>
          <strong class="stat-value" data-testid="gmv">¥{s.gmv}</strong>
          <span class="muted">{l.yesterday} ¥{f.gmvYesterday}</span>
        </div>
        <div class={fresh ? "card stat flash" : "card stat"}>
          <span class="stat-label">{l.orders}</span>
          <strong class="stat-value" data-testid="orders">{s.orders}</strong>
          <span class="muted">{l.yesterday} {f.ordersYesterday}</span>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.aov}</span>
          <strong class="stat-value">¥{aov}</strong>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.conversion}</span>
          <strong class="stat-value">{pct(f.conversion)}</strong>
          <span class="muted">{l.visitors} {f.visitors}</span>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.commissionShare}</span>
          <strong class="stat-value" data-testid="commission-share">{pct(share)}</strong>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.repurchase}</span>
          <strong class="stat-value">{pct(f.repurchaseRate)}</strong>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.ltv}</span>
          <strong class="stat-value">¥{f.lifetimeValue}</strong>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.slow}</span>
          <strong class="stat-value">{pct(f.slowShare)}</strong>
        </div>
        <div class="card stat">
          <span class="stat-label">{l.newMembers}</span>
          <strong class="stat-value">{s.newMembers}</strong>
          <span class="muted">{l.newDistributors} {f.newDistributors}</span>
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
          <span class="actions">
            <a class="btn btn-ghost btn-sm" href="/admin/analytics/top-products.csv">CSV</a>
            <a class="btn btn-ghost btn-sm" href="/admin/analytics/top-products.xlsx">XLSX</a>
          </span>
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
      <div class="card">
        <h3>{l.byTier}</h3>
        <ul class="plain-list">
          {s.commissionByTier.map((t) => <li key={t.tier}>{l[`tier${t.tier}`]}: ¥{t.amount}</li>)}
        </ul>
        <h3>{l.topDistributors}</h3>
        <ol class="plain-list">
          {f.topDistributors.map((d) => <li key={d.id}>{d.name} · ¥{d.sales} · ¥{d.commission}</li>)}
        </ol>
      </div>
    </section>
  );
}
