import assert from "node:assert/strict";
import { applyOrderLiveEvent, type OrderLiveState } from "./order_live_model.ts";
import type { LiveEvent } from "./live.ts";

const state: OrderLiveState = {
  status: "refund_requested",
  timeline: [{ status: "pending_payment", at: "2026-12-03T12:00:00.000Z", note: null }],
  refunds: [
    {
      id: "7",
      kind: "refund_only",
      status: "requested",
      amount: "10.00",
      reason: "不想要了",
      decisionNote: null,
      items: [{ orderItemId: "31", quantity: 1 }],
      lines: "T恤（颜色：黑色；尺码：L）×1",
    },
    {
      id: "8",
      kind: "exchange",
      status: "approved",
      amount: "0.00",
      reason: "尺码不合适",
      decisionNote: null,
      items: [{ orderItemId: "32", quantity: 2 }],
      lines: "T恤（颜色：藏青；尺码：XL）×2",
    },
    {
      id: "9",
      kind: "exchange",
      status: "requested",
      amount: "0.00",
      reason: "换色",
      decisionNote: null,
      items: [{ orderItemId: "32", quantity: 1 }],
      lines: "T恤（颜色：藏青；尺码：XL）×1",
    },
  ],
  shipment: null,
  payment: "pending",
  refunded: { "31": 0, "32": 1 },
};
const at = "2026-12-03T12:05:00.000Z";

Deno.test("applyOrderLiveEvent() moves the status and adds the step with the note in the page's language", () => {
  const e = {
    id: 5,
    type: "order_status",
    at,
    data: { orderId: "1", number: "SM1", status: "paid", total: "10.00", notes: { "zh-CN": "已付款", en: "Paid" } },
  } as LiveEvent;
  const next = applyOrderLiveEvent({ ...state, status: "pending_payment" }, "1", e, "en");
  assert.equal(next.status, "paid");
  assert.deepEqual(next.timeline.at(-1), { status: "paid", at, note: "Paid" });
  assert.equal(applyOrderLiveEvent(state, "2", e, "en"), state, "another order's event changes nothing");
});

Deno.test("applyOrderLiveEvent() marks a refund approved or rejected (with the manager's note), only on its order", () => {
  const approved = applyOrderLiveEvent(state, "1", {
    id: 6,
    type: "refund_approved",
    at,
    data: { refundId: "7", orderId: "1", amount: "10.00" },
  }, "zh-CN");
  assert.deepEqual(approved.refunds.map((r) => r.status), ["approved", "approved", "requested"]);
  assert.equal(approved.status, "refund_requested", "the order's own status comes with its order_status event");
  const rejected = applyOrderLiveEvent(state, "1", {
    id: 7,
    type: "refund_rejected",
    at,
    data: { refundId: "7", orderId: "1", note: "已超过退货期" },
  }, "zh-CN");
  assert.deepEqual(rejected.refunds[0], { ...state.refunds[0], status: "rejected", decisionNote: "已超过退货期" });
  const elsewhere = { id: 8, type: "refund_approved", at, data: { refundId: "7", orderId: "9", amount: "1.00" } };
  assert.equal(applyOrderLiveEvent(state, "1", elsewhere as LiveEvent, "zh-CN"), state);
  const unknown = { id: 9, type: "refund_approved", at, data: { refundId: "99", orderId: "1", amount: "1.00" } };
  assert.equal(applyOrderLiveEvent(state, "1", unknown as LiveEvent, "zh-CN"), state);
});

Deno.test("applyOrderLiveEvent() sets the shipment from a shipped order_status event; other moves keep it", () => {
  const shippedAt = "2026-12-03T12:04:59.000Z";
  const e = {
    id: 10,
    type: "order_status",
    at,
    data: {
      orderId: "1",
      number: "SM1",
      status: "shipped",
      total: "10.00",
      note: "顺丰速运 SF1234567890",
      carrier: "顺丰速运",
      trackingNumber: "SF1234567890",
      shippedAt,
    },
  } as LiveEvent;
  const paid = { ...state, status: "paid", refunds: [] };
  const shipped = applyOrderLiveEvent(paid, "1", e, "zh-CN");
  assert.equal(shipped.status, "shipped");
  assert.deepEqual(shipped.shipment, { carrier: "顺丰速运", trackingNumber: "SF1234567890", shippedAt });
  assert.deepEqual(shipped.timeline.at(-1), { status: "shipped", at, note: "顺丰速运 SF1234567890" });
  assert.equal(paid.shipment, null, "the state given is left as it was");
  assert.equal(applyOrderLiveEvent(paid, "2", e, "zh-CN"), paid, "another order's shipment changes nothing");

  const withoutTime = { ...e, data: { ...e.data, shippedAt: undefined } } as LiveEvent;
  assert.equal(applyOrderLiveEvent(paid, "1", withoutTime, "zh-CN").shipment?.shippedAt, at, "the event's time");

  const delivered = applyOrderLiveEvent(shipped, "1", {
    id: 11,
    type: "order_status",
    at,
    data: { orderId: "1", number: "SM1", status: "delivered", total: "10.00" },
  } as LiveEvent, "zh-CN");
  assert.equal(delivered.status, "delivered");
  assert.equal(delivered.shipment, shipped.shipment, "a later move keeps the shipment");
});

Deno.test("applyOrderLiveEvent() marks the payment succeeded when the order is paid (the 支付 row follows)", () => {
  const e = {
    id: 9,
    type: "order_status",
    at,
    data: { orderId: "1", number: "SM1", status: "paid", total: "10.00" },
  } as LiveEvent;
  assert.equal(applyOrderLiveEvent({ ...state, status: "pending_payment" }, "1", e, "zh-CN").payment, "succeeded");
  const shipped = { ...e, data: { ...e.data, status: "shipped" } } as LiveEvent;
  assert.equal(applyOrderLiveEvent(state, "1", shipped, "zh-CN").payment, "pending", "other moves leave it");
});

Deno.test("applyOrderLiveEvent() adds an approved refund's units to its lines (not an exchange's, not twice)", () => {
  const approve = (refundId: string) =>
    ({ id: 10, type: "refund_approved", at, data: { refundId, orderId: "1", amount: "10.00" } }) as LiveEvent;
  const once = applyOrderLiveEvent(state, "1", approve("7"), "zh-CN");
  assert.deepEqual(once.refunded, { "31": 1, "32": 1 });
  assert.deepEqual(applyOrderLiveEvent(once, "1", approve("7"), "zh-CN").refunded, once.refunded, "already approved");
  assert.deepEqual(applyOrderLiveEvent(state, "1", approve("9"), "zh-CN").refunded, state.refunded, "an exchange");
  const rejected = applyOrderLiveEvent(state, "1", {
    id: 11,
    type: "refund_rejected",
    at,
    data: { refundId: "7", orderId: "1" },
  } as LiveEvent, "zh-CN");
  assert.deepEqual(rejected.refunded, state.refunded);
});
