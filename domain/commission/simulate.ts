import Big from "big.js";
import { roundTo, sum } from "../money.ts";
import { type CommissionChain, type CommissionItem, computeCommissions } from "./compute.ts";
import type { CommissionPlan } from "./plan.ts";

/** One paid order to replay. */
export interface ReplayOrder {
  orderId: string;
  paidAt: Date;
  /** What the buyer paid for the order's goods. */
  sales: string;
  items: CommissionItem[];
  chain: CommissionChain;
}

/** The outcome of replaying a period under a draft plan. */
export interface SimulationResult {
  orders: number;
  sales: Big;
  payout: Big;
  /** payout ÷ sales (0 when there were no sales). */
  payoutShare: Big;
  /** Per distributor: what was actually credited, what the draft would credit, and the difference. */
  perDistributor: { id: string; actual: Big; simulated: Big; difference: Big }[];
}

/**
 * Replays paid orders under a draft plan without touching any ledger: total payout, payout as a
 * share of sales, and each distributor's difference against what was actually credited.
 */
export function simulatePlan(plan: CommissionPlan, orders: ReplayOrder[], actual: Map<string, Big>): SimulationResult {
  const simulated = new Map<string, Big>();
  let payout = new Big(0);
  for (const order of orders) {
    for (const line of computeCommissions(plan, order.items, order.chain, order.paidAt)) {
      simulated.set(line.beneficiaryId, (simulated.get(line.beneficiaryId) ?? new Big(0)).plus(line.amount));
      payout = payout.plus(line.amount);
    }
  }
  const sales = sum(orders.map((o) => new Big(o.sales)));
  const ids = new Set([...simulated.keys(), ...actual.keys()]);
  const perDistributor = [...ids].map((id) => {
    const a = actual.get(id) ?? new Big(0);
    const s = simulated.get(id) ?? new Big(0);
    return { id, actual: a, simulated: s, difference: s.minus(a) };
  }).sort((x, y) => y.difference.abs().cmp(x.difference.abs()) || x.id.localeCompare(y.id));
  return {
    orders: orders.length,
    sales,
    payout,
    payoutShare: sales.gt(0) ? roundTo(payout.div(sales), 6) : new Big(0),
    perDistributor,
  };
}
