import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveStatus } from "../client/live.ts";
import { applyDashboardEvent, type DashboardState, type FeedLabels, feedText } from "../client/dashboard_model.ts";
import { shortTime } from "../domain/shop_time.ts";
import { createCharts } from "../client/dashboard_charts.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";

/** Props: the server's snapshot, the event id it includes, and the labels in the page's language. */
export interface DistributorDashboardProps {
  [key: string]: unknown;
  state: DashboardState;
  lastEventId: number;
  nextRank: { rank: string; teamSalesNeeded: string; activeCustomersNeeded: number } | null;
  topProducts: { productId: string; name: string; units: number; sales: string }[];
  labels: Record<string, string> & FeedLabels;
  statusLabels: Record<LiveStatus, string>;
  rankLabels: Record<string, string>;
}

const TIER_COLOURS = ["#d63133", "#f08c00", "#1c7ed6"];

/** The distributor's live dashboard: money, team sales by tier, rank progress, charts and a feed. */
export default function DistributorDashboard(props: DistributorDashboardProps) {
  const state = useSignal(props.state);
  const flash = useSignal<Record<string, number>>({});
  const status = useSignal<LiveStatus>("connecting");
  const salesCanvas = useRef<HTMLCanvasElement>(null);
  const commissionCanvas = useRef<HTMLCanvasElement>(null);
  const charts = useRef<{ update(s: DashboardState): void } | null>(null);

  useEffect(() => {
    const live = connectLive(props.lastEventId, (e) => {
      const { state: next, changed } = applyDashboardEvent(state.peek(), e);
      state.value = next;
      const stamp = Date.now();
      flash.value = { ...flash.peek(), ...Object.fromEntries(changed.map((k) => [k, stamp])) };
      setTimeout(() => {
        const f = { ...flash.peek() };
        for (const k of changed) if (f[k] === stamp) delete f[k];
        flash.value = f;
      }, 900);
      charts.current?.update(next);
    });
    const stop = live.status.subscribe((s) => (status.value = s));
    if (salesCanvas.current && commissionCanvas.current) {
      charts.current = createCharts(salesCanvas.current, commissionCanvas.current, state.peek(), {
        tiers: [props.labels.tier1, props.labels.tier2, props.labels.tier3],
        colours: TIER_COLOURS,
      });
    }
    return () => {
      stop();
      live.close();
    };
  }, []);

  const s = state.value;
  const l = props.labels;
  const f = flash.value;
  const money = (key: keyof DashboardState["commission"], label: string) => (
    <div class={f[key] ? "stat flash" : "stat"}>
      <span class="stat-label">{label}</span>
      <strong class="stat-value" data-testid={`commission-${key}`}>¥{s.commission[key]}</strong>
    </div>
  );
  return (
    <div class="dashboard stack">
      <header class="card-head">
        <h1>{l.title}</h1>
        <LiveIndicator status={status.value} labels={props.statusLabels} />
      </header>
      <section class="card" aria-labelledby="dash-money">
        <h2 id="dash-money">{l.commission}</h2>
        <div class="stats">
          {money("today", l.today)}
          {money("month", l.month)}
          {money("pending", l.pending)}
          {money("available", l.available)}
          {money("paid", l.paid)}
        </div>
      </section>
      <section class="card" aria-labelledby="dash-team">
        <h2 id="dash-team">{l.teamSales}</h2>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{l.tier}</th>
              <th scope="col">{l.members}</th>
              <th scope="col">{l.salesToday}</th>
              <th scope="col">{l.sales7d}</th>
              <th scope="col">{l.sales30d}</th>
            </tr>
          </thead>
          <tbody>
            {s.tiers.map((t) => (
              <tr key={t.tier} class={f[`tier${t.tier}`] ? "flash" : ""}>
                <th scope="row">{l[`tier${t.tier}`]}</th>
                <td>{t.members}</td>
                <td data-testid={`tier${t.tier}-today`}>¥{t.today}</td>
                <td>¥{t.d7}</td>
                <td>¥{t.d30}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted">
          {l.newMembers}:{" "}
          <strong class={f.newMembers ? "flash" : ""} data-testid="new-members">{s.newMembersToday}</strong>
        </p>
      </section>
      <section class="card" aria-labelledby="dash-rank">
        <h2 id="dash-rank">{l.rank}</h2>
        <p>
          <strong class={f.rank ? "badge badge-info flash" : "badge badge-info"} data-testid="rank">
            {props.rankLabels[s.rank] ?? s.rank}
          </strong>
        </p>
        {props.nextRank && (
          <p class="muted">
            {l.nextRank
              .replace("{amount}", props.nextRank.teamSalesNeeded)
              .replace("{customers}", String(props.nextRank.activeCustomersNeeded))
              .replace("{rank}", props.rankLabels[props.nextRank.rank] ?? props.nextRank.rank)}
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="dash-charts">
        <h2 id="dash-charts">{l.charts}</h2>
        <div class="chart-box">
          <canvas ref={salesCanvas} aria-label={l.salesChart} role="img" />
        </div>
        <div class="chart-box">
          <canvas ref={commissionCanvas} aria-label={l.commissionChart} role="img" />
        </div>
        {props.topProducts.length > 0 && (
          <>
            <h3>{l.topProducts}</h3>
            <ol class="plain-list">
              {props.topProducts.map((p) => <li key={p.productId}>{p.name} · {p.units} · ¥{p.sales}</li>)}
            </ol>
          </>
        )}
      </section>
      <section class="card" aria-labelledby="dash-feed">
        <h2 id="dash-feed">{l.feed}</h2>
        {s.feed.length === 0 ? <p class="muted">{l.feedEmpty}</p> : (
          <ul class="feed" data-testid="feed">
            {s.feed.map((e) => ({ e, text: feedText(e, l) })).filter((f) => f.text).map(({ e, text }) => (
              <li key={e.id} data-event-id={e.id} class={`feed-${e.type}`}>
                <time dateTime={e.at}>{shortTime(e.at)}</time> <span>{text}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
