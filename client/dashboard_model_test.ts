import assert from "node:assert/strict";
import { applyDashboardEvent, type DashboardState } from "./dashboard_model.ts";
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
