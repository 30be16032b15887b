import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveEvent, type LiveStatus } from "../client/live.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";
import { shortTime } from "../domain/shop_time.ts";

/** Props: the order's status and timeline as rendered, and the event id they include. */
export interface OrderLiveProps {
  [key: string]: unknown;
  orderId: string;
  status: string;
  timeline: { status: string; at: string; note: string | null }[];
  lastEventId: number;
  /** Whether the viewer is the buyer (who may pay, cancel, confirm and ask for a refund). */
  mine: boolean;
  csrf: string;
  labels: {
    statuses: Record<string, string>;
    timeline: string;
    status: Record<LiveStatus, string>;
    pay: string;
    cancel: string;
    confirm: string;
    refund: string;
  };
}

const REFUNDABLE = ["paid", "shipped", "delivered", "partially_refunded"];

/** A one-button POST form with the CSRF token. */
function ActionForm(
  { action, csrf, label, primary, testId }: {
    action: string;
    csrf: string;
    label: string;
    primary?: boolean;
    testId?: string;
  },
) {
  return (
    <form method="post" action={action} class="inline-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <button class={primary ? "btn btn-primary" : "btn btn-ghost"} type="submit" data-testid={testId}>{label}</button>
    </form>
  );
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
      // The event carries the note in every language; show the page's.
      const notes = e.data.notes;
      const lang = globalThis.document?.documentElement.lang ?? "zh-CN";
      const note = notes?.[lang] ?? (typeof e.data.note === "string" ? e.data.note : null);
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
            <time dateTime={step.at}>{shortTime(step.at)}</time>
            {step.note && <span class="muted">{step.note}</span>}
          </li>
        ))}
      </ol>
      {props.mine && (
        <div class="actions">
          {status.value === "pending_payment" && (
            <>
              <ActionForm
                action={`/orders/${props.orderId}/pay`}
                csrf={props.csrf}
                label={l.pay}
                primary
                testId="pay"
              />
              <ActionForm action={`/orders/${props.orderId}/cancel`} csrf={props.csrf} label={l.cancel} />
            </>
          )}
          {status.value === "shipped" && (
            <ActionForm action={`/orders/${props.orderId}/confirm`} csrf={props.csrf} label={l.confirm} primary />
          )}
          {REFUNDABLE.includes(status.value) && (
            <a class="btn btn-ghost" href={`/orders/${props.orderId}/refund`}>{l.refund}</a>
          )}
        </div>
      )}
    </section>
  );
}
