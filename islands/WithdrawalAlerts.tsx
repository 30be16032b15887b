import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive } from "../client/live.ts";

/** A requested withdrawal that deserves a closer look, and why. */
export interface WithdrawalAlert {
  withdrawalId: string;
  name: string;
  amount: string;
  reasons: string[];
}

/** Props: the unusual requests waiting now, the event id they include, labels (one per reason). */
export interface WithdrawalAlertsProps {
  [key: string]: unknown;
  alerts: WithdrawalAlert[];
  lastEventId: number;
  labels: { title: string; none: string; review: string; reasons: Record<string, string> };
}

/** Unusual withdrawal requests for finance: a new one appears at once; approved or rejected, it goes. */
export default function WithdrawalAlerts(props: WithdrawalAlertsProps) {
  const alerts = useSignal(props.alerts);
  const fresh = useSignal<string | null>(null);
  useEffect(() => {
    const live = connectLive(props.lastEventId, (e) => {
      if (e.type === "withdrawal_unusual" && e.data.withdrawalId) {
        const d = e.data;
        alerts.value = [
          { withdrawalId: d.withdrawalId, name: d.name ?? "", amount: d.amount ?? "", reasons: d.reasons ?? [] },
          ...alerts.peek().filter((a) => a.withdrawalId !== d.withdrawalId),
        ].slice(0, 20);
        fresh.value = d.withdrawalId;
      } else if (e.type === "withdrawal" && e.data.status && e.data.status !== "requested") {
        const id = e.data.withdrawalId;
        alerts.value = alerts.peek().filter((a) => a.withdrawalId !== id);
      }
    });
    return () => live.close();
  }, []);
  const l = props.labels;
  return (
    <section class="card" aria-labelledby="withdrawal-alerts" aria-live="polite">
      <header class="card-head">
        <h2 id="withdrawal-alerts">{l.title}</h2>
        <a class="btn btn-ghost btn-sm" href="/admin/withdrawals">{l.review}</a>
      </header>
      {alerts.value.length === 0
        ? <p class="muted">{l.none}</p>
        : (
          <ul class="plain-list" data-testid="withdrawal-alerts">
            {alerts.value.map((a) => (
              <li key={a.withdrawalId} class={fresh.value === a.withdrawalId ? "flash" : ""}>
                {a.name} · ¥{a.amount}{" "}
                {a.reasons.map((r) => <span key={r} class="badge badge-warn">{l.reasons[r] ?? r}</span>)}
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
