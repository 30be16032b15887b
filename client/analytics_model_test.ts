import assert from "node:assert/strict";
import { type AnalyticsState, applyAnalyticsEvent, figuresOf, minuteWindow } from "./analytics_model.ts";
import { shopDay } from "../domain/shop_time.ts";
import type { LiveEvent } from "./live.ts";

const empty: AnalyticsState = {
  gmv: "0.00",
  orders: 0,
  commission30: "0.00",
  gmv30: "0.00",
  perMinute: [],
  topProducts: [],
  commissionByTier: [],
  newMembers: 0,
  visitors: 2,
  buyersToday: 0,
  buyers: 1,
  repeatBuyers: 0,
  lifetime: "100.00",
  onSale: 4,
  slowProductIds: ["1", "2", "3"],
  topDistributors: [{ id: "9", name: "王芳", sales: "50.00", commission: "5.00" }],
  newDistributors: 0,
};

/** A fixture event: partial payloads and unknown types on purpose (the model reads only what it needs). */
const ev = (e: { id: number; type: string; at: string; data: Record<string, unknown> }) => e as unknown as LiveEvent;

const sale = (data: Record<string, unknown>, id = 1) =>
  ev({
    id,
    type: "shop_sale",
    at: "2026-11-22T02:00:00Z",
    data: {
      orderId: String(id),
      amount: "60.00",
      commission: "6.00",
      commissionByTier: ["6.00", "0.00", "0.00"],
      items: [{ productId: "2", name: "茶", quantity: 1, lineTotal: "60.00" }],
      ...data,
    },
  });

Deno.test("applyAnalyticsEvent(): a first and a second order of one buyer move repurchase, LTV, conversion and slow movers", () => {
  const first = applyAnalyticsEvent(
    empty,
    sale({
      buyerPaidOrders: 1,
      buyerPaidToday: 1,
      newVisitor: true,
      tier1: { id: "7", name: "李雷", base: "60.00", amount: "6.00" },
    }),
  );
  assert.equal(first.buyers, 2);
  assert.equal(first.repeatBuyers, 0);
  assert.equal(first.visitors, 3);
  assert.deepEqual(first.slowProductIds, ["1", "3"]);
  assert.deepEqual(first.topDistributors.map((d) => [d.id, d.sales]), [["7", "60.00"], ["9", "50.00"]]);
  const second = applyAnalyticsEvent(
    first,
    sale({
      buyerPaidOrders: 2,
      buyerPaidToday: 2,
      newVisitor: false,
      tier1: { id: "9", name: "王芳", base: "60.00", amount: "6.00" },
    }, 2),
  );
  assert.deepEqual(figuresOf(second), {
    averageOrder: "60.00",
    conversion: "0.3333", // 1 buyer today / 3 visitors
    repurchaseRate: "0.5000", // 1 of 2 buyers ordered twice
    lifetimeValue: "110.00", // (100 + 60 + 60) / 2
    slowShare: "0.5000", // 2 of 4 on sale
    commissionShare: "0.1000",
  });
  assert.deepEqual(second.topDistributors.map((d) => [d.id, d.sales, d.commission]), [
    ["9", "110.00", "11.00"],
    ["7", "60.00", "6.00"],
  ]);
  assert.equal(empty.buyers, 1, "the state passed in is not changed");
});

Deno.test("applyAnalyticsEvent(): visitors and approved distributors count; unknown events change nothing", () => {
  const s = applyAnalyticsEvent(empty, ev({ id: 3, type: "visitor", at: "2026-11-22T02:00:00Z", data: {} }));
  assert.equal(s.visitors, 3);
  const d = applyAnalyticsEvent(s, ev({ id: 4, type: "distributor_joined", at: "2026-11-22T02:00:00Z", data: {} }));
  assert.equal(d.newDistributors, 1);
  assert.deepEqual(applyAnalyticsEvent(d, ev({ id: 5, type: "mystery", at: "2026-11-22T02:00:00Z", data: {} })), d);
});

Deno.test("applyAnalyticsEvent(): a claw-back lowers the commission cost, its tier and the distributor's commission", () => {
  const paid = applyAnalyticsEvent(
    empty,
    sale({ buyerPaidOrders: 1, tier1: { id: "9", name: "王芳", base: "60.00", amount: "6.00" } }),
  );
  const back = applyAnalyticsEvent(
    paid,
    ev({
      id: 9,
      type: "commission_reversed",
      at: "2026-11-22T03:00:00Z",
      data: { total: "2.00", byTier: ["2.00", "0.00", "0.00"], tier1: [{ id: "9", amount: "2.00" }] },
    }),
  );
  assert.equal(back.commission30, "4.00");
  assert.deepEqual(back.commissionByTier, [{ tier: 1, amount: "4.00" }]);
  assert.deepEqual(back.topDistributors[0], { id: "9", name: "王芳", sales: "110.00", commission: "9.00" });
});

Deno.test("minuteWindow(): the last 60 minutes in shop time, zero where nothing sold, sliding with the clock", () => {
  const at = "2026-11-22T02:30:20Z"; // 10:30 in Shanghai
  const w = minuteWindow([{ minute: "10:30", orders: 3 }, { minute: "09:45", orders: 2 }, {
    minute: "09:10",
    orders: 9,
  }], at);
  assert.equal(w.length, 60);
  assert.deepEqual(w[0], { minute: "09:31", orders: 0 });
  assert.deepEqual(w.at(-1), { minute: "10:30", orders: 3 });
  assert.equal(w.find((m) => m.minute === "09:45")?.orders, 2);
  assert.equal(w.reduce((n, m) => n + m.orders, 0), 5, "09:10 is more than an hour ago");
  const later = minuteWindow(w, "2026-11-22T02:59:00Z");
  assert.equal(later.reduce((n, m) => n + m.orders, 0), 3, "by 10:59, 09:45 has slid out of the window");
  assert.equal(shopDay("2026-11-22T15:59:00Z"), "2026-11-22");
  assert.equal(shopDay("2026-11-22T16:00:00Z"), "2026-11-23", "midnight in Shanghai");
});
