import assert from "node:assert/strict";
import {
  awaitsReceipt,
  canApply,
  fitsFulfilment,
  InvalidTransition,
  isFinal,
  nextStatus,
  ORDER_STATUSES,
} from "./order_state.ts";

Deno.test("nextStatus() walks the happy path pending_payment → paid → shipped → delivered → completed", () => {
  let s = nextStatus("pending_payment", "pay");
  s = nextStatus(s, "ship");
  s = nextStatus(s, "deliver");
  s = nextStatus(s, "complete");
  assert.equal(s, "completed");
});

Deno.test("nextStatus() refuses illegal transitions with a clear message", () => {
  assert.throws(() => nextStatus("pending_payment", "ship"), InvalidTransition);
  assert.throws(() => nextStatus("paid", "cancel"), /Cannot cancel an order that is paid/);
  assert.throws(() => nextStatus("completed", "request_refund"), InvalidTransition);
  assert.throws(() => nextStatus("cancelled", "pay"), InvalidTransition);
});

Deno.test("a rejected refund request returns the order to where it was", () => {
  assert.equal(nextStatus(nextStatus("shipped", "request_refund"), "reject_refund", "shipped"), "shipped");
  assert.equal(nextStatus("refund_requested", "refund_partially"), "partially_refunded");
  assert.equal(nextStatus("refund_requested", "refund_fully"), "refunded");
});

Deno.test("final statuses allow no event at all", () => {
  const events = ["pay", "cancel", "expire", "ship", "deliver", "complete", "request_refund", "reject_refund"] as const;
  for (const s of ORDER_STATUSES.filter(isFinal)) {
    for (const e of events) assert.equal(canApply(s, e), false, `${s} ${e}`);
  }
});

Deno.test("a partially refunded order keeps its place in shipping: ship once, receive only what left, complete what arrived", () => {
  const before = { shipped: false, delivered: false };
  const onTheWay = { shipped: true, delivered: false };
  const arrived = { shipped: true, delivered: true };
  assert.equal(fitsFulfilment("ship", before), true);
  assert.equal(fitsFulfilment("ship", onTheWay), false);
  assert.equal(fitsFulfilment("deliver", before), false);
  assert.equal(fitsFulfilment("deliver", onTheWay), true);
  assert.equal(fitsFulfilment("deliver", arrived), false);
  assert.equal(fitsFulfilment("complete", onTheWay), false);
  assert.equal(fitsFulfilment("complete", arrived), true);
  assert.equal(fitsFulfilment("request_refund", before), true);
  assert.equal(awaitsReceipt("partially_refunded", onTheWay), true);
  assert.equal(awaitsReceipt("partially_refunded", before), false);
  assert.equal(awaitsReceipt("partially_refunded", arrived), false);
  assert.equal(awaitsReceipt("shipped", onTheWay), true);
  assert.equal(awaitsReceipt("paid", before), false);
});
