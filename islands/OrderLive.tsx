import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveEvent, type LiveStatus } from "../client/live.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";

/** Props: the order's status and timeline as rendered, and the event id they include. */
export interface OrderLiveProps {
  [key: string]: unknown;
  orderId: string;
  status: string;
  timeline: { status: string; at: string; note: string | null }[];
  lastEventId: number;
  labels: { statuses: Record<string, string>; timeline: string; status: Record<LiveStatus, string> };
}

/** The order's status and timeline, updated live as the order moves (paid, shipped, …). */
export default function OrderLive(props: OrderLiveProps) {
  const status = useSignal(props.status);
  const timeline = useSignal(props.timeline);
  const connection = useSignal<LiveStatus>("connecting");

  useEffect(() => {
    const live = connectLive(props.lastEventId, (e: LiveEvent) => {
      if (e.type !== "order_status" || e.data.orderId !== props.orderId) return;
      const next = String(e.data.status);
      const note = typeof e.data.note === "string" ? e.data.note : null;
      if (next !== status.peek()) status.value = next;
      timeline.value = [...timeline.peek(), { status: next, at: e.at, note }];
    });
    const stop = live.status.subscribe((s) => (connection.value = s));
    return () => {
      stop();
      live.close();
    };
  }, []);

  const l = props.labels;
  return (
    <section class="card order-live" aria-live="polite">
      <header class="card-head">
        <strong class={`status status-${status.value}`} data-testid="order-status">
          {l.statuses[status.value] ?? status.value}
        </strong>
        <LiveIndicator status={connection.value} labels={l.status} />
      </header>
      <h2 class="sr-only">{l.timeline}</h2>
      <ol class="timeline">
        {timeline.value.map((step, i) => (
          <li key={`${i}-${step.at}`}>
            <span class="timeline-status">{l.statuses[step.status] ?? step.status}</span>
            <time dateTime={step.at}>{step.at.slice(0, 16).replace("T", " ")}</time>
            {step.note && <span class="muted">{step.note}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
