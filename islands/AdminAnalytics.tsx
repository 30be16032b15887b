import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveEvent, type LiveStatus } from "../client/live.ts";
import { type AnalyticsState, applyAnalyticsEvent, figuresOf, minuteWindow } from "../client/analytics_model.ts";
import { shopDay } from "../domain/shop_time.ts";
import { createMinuteChart } from "../client/minute_chart.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";
import { TableScroll } from "../components/TableScroll.tsx";

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

/** How often the island re-reads the snapshot, so "same time yesterday" keeps up with the clock. */
const RESYNC_MS = 5 * 60_000;

const pct = (ratio: string) => `${(Number(ratio) * 100).toFixed(1)}%`;

/** The manager's live analytics home: GMV, orders, conversion, orders per minute, top products, commission cost. */
export default function AdminAnalytics(props: AdminAnalyticsProps) {
  const state = useSignal(props.state);
  const yesterday = useSignal(props.yesterday);
  const status = useSignal<LiveStatus>("connecting");
  const flash = useSignal(0);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const lastHour = () => minuteWindow(state.peek().perMinute, new Date().toISOString());
    const chart = canvas.current ? createMinuteChart(canvas.current, lastHour(), props.labels.ordersPerMinute) : null;
    // Events are applied on top of the newest snapshot; those it already includes are skipped.
    let snapshotId = props.lastEventId;
    let syncing: LiveEvent[] | null = null;
    const apply = (e: LiveEvent) => {
      if (e.id <= snapshotId) return;
      const applied = applyAnalyticsEvent(state.peek(), e);
      const prev = state.peek();
      state.value = props.filtered
        ? {
          ...applied,
          topProducts: prev.topProducts,
          commissionByTier: prev.commissionByTier,
          topDistributors: prev.topDistributors,
        }
        : applied;
      flash.value = Date.now();
      chart?.update(lastHour());
    };
    const live = connectLive(props.lastEventId, (e) => (syncing ? syncing.push(e) : apply(e)));
    const stop = live.status.subscribe((s) => (status.value = s));
    let day = shopDay(new Date().toISOString());
    let syncedAt = Date.now();
    /** Re-reads the snapshot (a new day, or yesterday's same-time figures moving on), then replays what came meanwhile. */
    const resync = async () => {
      syncing = [];
      try {
        const res = await fetch(`/admin/analytics.json${props.exportQuery ? `?${props.exportQuery}` : ""}`);
        if (res.ok) {
          const fresh = await res.json() as {
            state: AnalyticsState;
            yesterday: typeof props.yesterday;
            lastEventId: number;
          };
          state.value = fresh.state;
          yesterday.value = fresh.yesterday;
          snapshotId = fresh.lastEventId;
          syncedAt = Date.now();
        }
      } finally {
        const pending = syncing ?? [];
        syncing = null;
        pending.forEach(apply);
        chart?.update(lastHour());
      }
    };
    const tick = setInterval(() => {
      const today = shopDay(new Date().toISOString());
      if (today !== day || Date.now() - syncedAt > RESYNC_MS) {
        day = today;
        resync().catch(() => {});
      } else chart?.update(lastHour()); // the window slides even when nothing sells
    }, 30_000);
    return () => {
      clearInterval(tick);
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
          <span class="muted">{l.yesterday} ¥{yesterday.value.gmv}</span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.orders}</span>
          <strong class="stat-value" data-testid="orders">{s.orders}</strong>
          <span class="muted">{l.yesterday} {yesterday.value.orders}</span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.aov}</span>
          <strong class="stat-value" data-testid="aov">¥{fig.averageOrder}</strong>
          <span class="muted">{l.yesterday} ¥{yesterday.value.averageOrder}</span>
        </div>
        <div class={statClass}>
          <span class="stat-label">{l.conversion}</span>
          <strong class="stat-value" data-testid="conversion">{pct(fig.conversion)}</strong>
          <span class="muted">
            {l.visitors} <span data-testid="visitors">{s.visitors}</span> · {l.yesterday}{" "}
            {pct(yesterday.value.conversion)}
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
        <TableScroll label={l.topProducts}>
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
        </TableScroll>
        {s.topProducts.length ? null : <p class="muted">{l.none}</p>}
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
          <TableScroll label={l.topDistributors}>
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
          </TableScroll>
          {s.topDistributors.length ? null : <p class="muted">{l.none}</p>}
        </div>
      </div>
    </section>
  );
}
