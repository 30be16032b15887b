import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { connectLive, type LiveEvent, type LiveStatus } from "../client/live.ts";
import {
  applyOrderLiveEvent,
  type OrderLiveState,
  type RefundItem,
  type Shipment,
} from "../client/order_live_model.ts";
import { LiveIndicator } from "../components/LiveIndicator.tsx";
import { SvgIcon } from "../components/SvgIcon.tsx";
import { shopDateTime, shortTime } from "../domain/shop_time.ts";
import { countdown } from "../domain/orders/pay_deadline.ts";
import { awaitsReceipt, type OrderStatus } from "../domain/orders/order_state.ts";
import { type OrderLineData, OrderLines } from "../components/OrderLines.tsx";
import { type Breakdown, PRICE_KEYS, PriceBreakdown } from "../components/PriceBreakdown.tsx";
import { AddressText, type AddressValues } from "../components/AddressText.tsx";

/** Props: the order's status, timeline and after-sales requests as rendered, and the event id they include. */
export interface OrderLiveProps {
  [key: string]: unknown;
  orderId: string;
  /** The page's heading (the order's number), when the island heads the page (the buyer's order page). */
  title?: string;
  status: string;
  timeline: { status: string; at: string; note: string | null }[];
  /** The after-sales requests, listed under the status (the buyer's order page). */
  refunds?: RefundItem[];
  /**
   * The buyer's order page: the shipment (null until shipped; it shows live when the order ships) and the
   * truck icon's SVG body. The manager's page, whose shipping card holds the ship form, leaves it out.
   */
  shipping?: { shipment: Shipment | null; icon: string };
  /**
   * The pay deadline (ISO) and the server's clock when the page was made (the countdown counts from it):
   * with them the deadline and a countdown show while the order is unpaid.
   */
  expiresAt?: string;
  now?: string;
  /**
   * The buyer's order page: the rest of the order (address, lines with their refunded units, prices, number,
   * time and payment), kept live too: the payment's status follows the payment and a line's refunded units
   * an approved refund.
   */
  details?: {
    address: AddressValues | null;
    lines: (OrderLineData & { refundedQuantity: number })[];
    breakdown: Breakdown;
    number: string;
    createdAt: string;
    /** The payment's status (null when none was started). */
    payment: string | null;
    /** The map pin's SVG body. */
    icon: string;
    labels: {
      address: string;
      addressGone: string;
      items: string;
      /** "After discounts ¥{amount}", "{n} refunded". */
      afterDiscount: string;
      refundedUnits: string;
      price: Record<(typeof PRICE_KEYS)[number], string>;
      number: string;
      placedAt: string;
      payment: string;
      pay: Record<string, string>;
    };
  };
  lastEventId: number;
  /** Whether the viewer is the buyer (who may pay, cancel, confirm and ask for a refund). */
  mine: boolean;
  csrf: string;
  /** A refusal to show under the heading. */
  message?: string;
  labels: {
    statuses: Record<string, string>;
    timeline: string;
    status: Record<LiveStatus, string>;
    pay: string;
    cancel: string;
    confirm: string;
    refund: string;
    /** The checkout's steps (cart, confirm, pay) and their list's name. */
    steps: string[];
    progress: string;
    /** "Pay by {time}…", "{time} left", and the text once the deadline passed. */
    payBy: string;
    payLeft: string;
    payOver: string;
    refunds: string;
    refundStatus: Record<string, string>;
    refundKind: Record<string, string>;
    /** The shipment card's title and "shipped at {time}". */
    shipping: string;
    shippedAt: string;
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

/** The checkout's progress with "pay" as the current step (the same markup as the server's `CheckoutSteps`). */
function PaySteps({ steps, label }: { steps: string[]; label: string }) {
  return (
    <ol class="steps" aria-label={label}>
      {steps.map((s, i) => (
        <li key={s} class={i === 2 ? "active" : "done"} aria-current={i === 2 ? "step" : undefined}>
          <span class="step-no">{i + 1}</span>
          {s}
        </li>
      ))}
    </ol>
  );
}

/** The shipment card: carrier, tracking number and when it shipped (shop time). */
function ShipmentCard(
  { shipment, icon, title, shippedAt }: { shipment: Shipment; icon: string; title: string; shippedAt: string },
) {
  return (
    <section class="card order-address" aria-labelledby="order-shipping-title" data-testid="shipment">
      <span class="order-card-icon">
        <SvgIcon body={icon} />
      </span>
      <div>
        <h2 id="order-shipping-title">{title}</h2>
        <p class="shipment-line">
          <span>{shipment.carrier}</span>
          <span class="tracking" data-testid="tracking">{shipment.trackingNumber}</span>
        </p>
        {shipment.shippedAt && <p class="muted">{shippedAt.replace("{time}", shopDateTime(shipment.shippedAt))}</p>}
      </div>
    </section>
  );
}

/**
 * The top of the order page, live: while unpaid the pay step and a countdown to the deadline (shop time),
 * the status and timeline with the buyer's actions, the shipment (on the buyer's page) and the after-sales
 * requests; a payment, a shipment (its carrier and tracking number with 确认收货) or a refund decision shows
 * without a reload (the deadline and the pay step go away once paid).
 */
export default function OrderLive(props: OrderLiveProps) {
  const state = useSignal<OrderLiveState>({
    status: props.status,
    timeline: props.timeline,
    refunds: props.refunds ?? [],
    shipment: props.shipping?.shipment ?? null,
    payment: props.details?.payment ?? null,
    refunded: Object.fromEntries((props.details?.lines ?? []).map((l) => [l.key, l.refundedQuantity])),
  });
  const connection = useSignal<LiveStatus>("connecting");
  const serverNow = props.now ? Date.parse(props.now) : Date.now();
  const clock = useSignal(serverNow);

  useEffect(() => {
    const lang = globalThis.document?.documentElement.lang ?? "zh-CN";
    const live = connectLive(props.lastEventId, (e: LiveEvent) => {
      const next = applyOrderLiveEvent(state.peek(), props.orderId, e, lang);
      if (next !== state.peek()) state.value = next;
    });
    const stop = live.status.subscribe((s) => (connection.value = s));
    // The server's clock at render minus the browser's now: the countdown follows the shop's clock.
    const skew = serverNow - Date.now();
    const timer = props.expiresAt ? setInterval(() => (clock.value = Date.now() + skew), 1000) : undefined;
    return () => {
      stop();
      live.close();
      clearInterval(timer);
    };
  }, []);

  const l = props.labels;
  const { status, timeline, refunds, shipment, payment, refunded } = state.value;
  const d = props.details;
  const unpaid = status === "pending_payment";
  const left = countdown(props.expiresAt ? Date.parse(props.expiresAt) : Number.NaN, clock.value);
  const deadline = unpaid && props.expiresAt;
  // Where the goods are, from the timeline (a partially refunded order may still be on its way).
  const goods = {
    shipped: !!shipment || timeline.some((s) => s.status === "shipped"),
    delivered: timeline.some((s) => s.status === "delivered"),
  };
  return (
    <div class="order-top">
      {props.mine && unpaid && <PaySteps steps={l.steps} label={l.progress} />}
      {props.title && <h1>{props.title}</h1>}
      {props.message && <div class="alert alert-error" role="alert">{props.message}</div>}
      {deadline && (
        <div class={left.over ? "pay-deadline over" : "pay-deadline"} data-testid="pay-deadline">
          <span>{l.payBy.replace("{time}", shortTime(deadline))}</span>
          <strong role="timer" data-testid="countdown">
            {left.over ? l.payOver : l.payLeft.replace("{time}", left.text)}
          </strong>
        </div>
      )}
      <section class="card order-live" aria-live="polite">
        <header class="card-head">
          <strong class={`status status-${status}`} data-testid="order-status">
            {l.statuses[status] ?? status}
          </strong>
          <LiveIndicator status={connection.value} labels={l.status} />
        </header>
        <h2 class="sr-only">{l.timeline}</h2>
        <ol class="timeline">
          {timeline.map((step, i) => (
            <li key={`${i}-${step.at}`}>
              <span class="timeline-status">{l.statuses[step.status] ?? step.status}</span>
              <time dateTime={step.at}>{shortTime(step.at)}</time>
              {step.note && <span class="muted">{step.note}</span>}
            </li>
          ))}
        </ol>
        {props.mine && (
          <div class="actions">
            {unpaid && (
              <>
                {!(deadline && left.over) && (
                  <ActionForm
                    action={`/orders/${props.orderId}/pay`}
                    csrf={props.csrf}
                    label={l.pay}
                    primary
                    testId="pay"
                  />
                )}
                <ActionForm action={`/orders/${props.orderId}/cancel`} csrf={props.csrf} label={l.cancel} />
              </>
            )}
            {awaitsReceipt(status as OrderStatus, goods) && (
              <ActionForm action={`/orders/${props.orderId}/confirm`} csrf={props.csrf} label={l.confirm} primary />
            )}
            {REFUNDABLE.includes(status) && (
              <a class="btn btn-ghost" href={`/orders/${props.orderId}/refund`}>{l.refund}</a>
            )}
          </div>
        )}
      </section>
      {props.shipping && shipment && (
        <ShipmentCard shipment={shipment} icon={props.shipping.icon} title={l.shipping} shippedAt={l.shippedAt} />
      )}
      {refunds.length > 0 && (
        <section class="card order-refunds" aria-live="polite">
          <h2>{l.refunds}</h2>
          <ul class="refund-list">
            {refunds.map((r) => (
              <li key={r.id} data-testid="refund-record">
                <span class="refund-what">
                  <strong>{l.refundKind[r.kind] ?? r.kind}</strong>
                  <span data-testid="refund-lines">{r.lines}</span>
                  <span class="muted">{r.reason}</span>
                  {r.decisionNote && <span class="muted">— {r.decisionNote}</span>}
                </span>
                <span class="refund-side">
                  <span class={`refund-status refund-${r.status}`} data-testid="refund-status">
                    {l.refundStatus[r.status] ?? r.status}
                  </span>
                  <strong>¥{r.amount}</strong>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {d && (
        <>
          <section class="card order-address" aria-labelledby="order-address-title" data-testid="order-address">
            <span class="order-card-icon">
              <SvgIcon body={d.icon} />
            </span>
            <div>
              <h2 id="order-address-title">{d.labels.address}</h2>
              {d.address ? <AddressText a={d.address} /> : <p class="muted">{d.labels.addressGone}</p>}
            </div>
          </section>
          <section class="card order-items" aria-labelledby="order-items-title">
            <h2 id="order-items-title">{d.labels.items}</h2>
            <OrderLines
              lines={d.lines.map((line) => ({
                ...line,
                note: refunded[line.key] > 0
                  ? d.labels.refundedUnits.replace("{n}", String(refunded[line.key]))
                  : undefined,
              }))}
              afterDiscount={(amount) => d.labels.afterDiscount.replace("{amount}", amount)}
            />
            <PriceBreakdown b={d.breakdown} t={(key) => d.labels.price[key]} />
          </section>
          <dl class="card facts order-facts">
            <dt>{d.labels.number}</dt>
            <dd>
              <span class="order-number">{d.number}</span>
            </dd>
            <dt>{d.labels.placedAt}</dt>
            <dd data-testid="placed-at">{shopDateTime(d.createdAt)}</dd>
            {payment && (
              <>
                <dt>{d.labels.payment}</dt>
                <dd data-testid="payment-status">{d.labels.pay[payment] ?? payment}</dd>
              </>
            )}
          </dl>
        </>
      )}
    </div>
  );
}
