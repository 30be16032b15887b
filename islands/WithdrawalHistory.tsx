import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive } from "../client/live.ts";

/** A withdrawal as listed. */
export interface WithdrawalItem {
  id: string;
  amount: string;
  net: string;
  status: string;
}

/** Props: the list as rendered, the event id it includes, labels. */
export interface WithdrawalHistoryProps {
  [key: string]: unknown;
  items: WithdrawalItem[];
  lastEventId: number;
  labels: Record<string, string>;
}

/** The member's withdrawals; a status change (approved, paid, rejected) appears without reloading. */
export default function WithdrawalHistory(props: WithdrawalHistoryProps) {
  const items = useSignal(props.items);
  useEffect(() => {
    const live = connectLive(props.lastEventId, (e) => {
      if (e.type !== "withdrawal") return;
      const d = e.data;
      const known = items.peek().some((w) => w.id === d.withdrawalId);
      items.value = known
        ? items.peek().map((w) => (w.id === d.withdrawalId ? { ...w, status: d.status } : w))
        : [{ id: d.withdrawalId, amount: d.amount, net: d.net ?? "", status: d.status }, ...items.peek()];
    });
    return () => live.close();
  }, []);
  if (items.value.length === 0) return <p class="muted">—</p>;
  return (
    <ul class="plain-list" data-testid="withdrawals">
      {items.value.map((w) => (
        <li key={w.id} data-status={w.status}>
          ¥{w.amount} → ¥{w.net} ·{" "}
          <span class={`status status-w-${w.status}`}>{props.labels[w.status] ?? w.status}</span>
        </li>
      ))}
    </ul>
  );
}
