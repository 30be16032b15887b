import assert from "node:assert/strict";
import { applyDashboardEvent, type DashboardState, feedText } from "./dashboard_model.ts";
import type { LiveEvent } from "./live.ts";
import type { EventType } from "../realtime/events.ts";

const days = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`);
const zero = () => days.map(() => "0.00");
const state: DashboardState = {
  rank: "standard",
  commission: {
    today: "0.00",
    month: "5.00",
    pending: "5.00",
    available: "1.00",
    withdrawing: "0.00",
    paid: "0.00",
    clawedBack: "0.00",
  },
  tiers: [1, 2, 3].map((tier) => ({ tier, members: 1, today: "0.00", d7: "0.00", d30: "0.00", newToday: 0 })),
  newMembersToday: 0,
  days,
  salesSeries: [zero(), zero(), zero()],
  commissionSeries: [zero(), zero(), zero()],
  feed: [],
};
/** A fixture event: partial payloads on purpose (the model reads only what it needs). */
const ev = (id: number, type: EventType, data: Record<string, unknown>) =>
  ({
    id,
    type,
    at: "2026-11-30T10:00:00Z",
    data,
  }) as unknown as LiveEvent;

Deno.test("applyDashboardEvent() adds a tier-3 sale and its commission exactly, once", () => {
  let s = applyDashboardEvent(state, ev(1, "sale", { tier: 3, amount: "1000.00", day: "2026-11-30" })).state;
  s = applyDashboardEvent(s, ev(2, "commission", { tier: 3, amount: "20.00", status: "pending" })).state;
  s = applyDashboardEvent(s, ev(2, "commission", { tier: 3, amount: "20.00", status: "pending" })).state;
  assert.equal(s.tiers[2].today, "1000.00");
  assert.equal(s.salesSeries[2][29], "1000.00");
  assert.equal(s.feed.length, 2, "the same event id is listed once");
  assert.equal(s.commission.today, "40.00"); // the model is pure: dedupe by id is the connection's job
});

Deno.test("applyDashboardEvent() moves money between balances for release, claw-back and withdrawals", () => {
  let s = applyDashboardEvent(state, ev(3, "commission", { amount: "5.00", status: "available" })).state;
  assert.deepEqual([s.commission.pending, s.commission.available], ["0.00", "6.00"]);
  s = applyDashboardEvent(s, ev(4, "commission", { amount: "-2.00", status: "clawed_back", from: "available" })).state;
  assert.deepEqual([s.commission.available, s.commission.clawedBack], ["4.00", "2.00"]);
  s = applyDashboardEvent(s, ev(5, "withdrawal", { amount: "4.00", status: "requested" })).state;
  s = applyDashboardEvent(s, ev(6, "withdrawal", { amount: "4.00", status: "paid" })).state;
  assert.deepEqual([s.commission.available, s.commission.withdrawing, s.commission.paid], ["0.00", "0.00", "4.00"]);
});

const feedLabels = {
  tier1: "一级",
  tier2: "二级",
  tier3: "三级",
  feedSale: "{tier}成员 {buyer} 下单",
  feedCommission: "{tier}佣金",
  feedReleased: "佣金到账，可提现",
  feedClawback: "{tier}佣金退回",
};

Deno.test("feedText() words each commission event by what happened, with the tier where it has one", () => {
  const text = (type: EventType, data: Record<string, unknown>) => feedText(ev(9, type, data), feedLabels);
  assert.equal(text("commission", { tier: 1, amount: "3.00", status: "pending" }), "一级佣金 +¥3.00");
  assert.equal(text("commission", { amount: "39.27", status: "available" }), "佣金到账，可提现 +¥39.27");
  assert.equal(text("commission", { tier: 2, amount: "-1.00", status: "clawed_back" }), "二级佣金退回 ¥-1.00");
  assert.equal(text("sale", { tier: 3, buyer: "王*", amount: "99.00" }), "三级成员 王* 下单 ¥99.00");
  assert.equal(
    feedText(ev(9, "commission", { amount: "5.00", status: "available" }), {
      ...feedLabels,
      feedReleased: "Commission released, now available",
    }),
    "Commission released, now available +¥5.00",
  );
});

Deno.test("feedText() and the feed leave out events that move ¥0.00 (a release of a line clawed back in full)", () => {
  const zero = ev(10, "commission", { lineId: "1", orderId: "514", amount: "0.00", status: "available" });
  assert.equal(feedText(zero, feedLabels), "");
  assert.equal(applyDashboardEvent(state, zero).state.feed.length, 0);
  const released = ev(11, "commission", { lineId: "2", orderId: "515", amount: "4.00", status: "available" });
  assert.deepEqual(applyDashboardEvent(state, released).state.feed.map((e) => e.id), [11], "a release is listed");
});
