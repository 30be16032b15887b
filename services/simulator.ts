import Big from "big.js";
import { appConfig } from "../fresh.config.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { type ReplayOrder, simulatePlan } from "../domain/commission/simulate.ts";
import { type CommissionPlan, complianceViolations } from "../domain/commission/plan.ts";
import type { Beneficiary } from "../domain/commission/compute.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { currentPlan, planInputSchema } from "./distribution.ts";
import { isEligible } from "../domain/commission/eligibility.ts";

/** The body of the what-if simulation: a period and a draft plan. */
export const simulationSchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  plan: planInputSchema,
});

interface Row {
  order_id: string;
  paid_at: Date;
  buyer_id: string;
  order_item_id: string;
  product_id: string;
  category_id: string;
  quantity: number;
  line_total: string;
  cost_price: string;
}

/**
 * Replays the period's paid orders under a draft plan, reading orders, lines and the buyers'
 * three-tier chains in a few set-based queries. Nothing is written.
 */
export async function simulateDraft(db: Db, input: z.infer<typeof simulationSchema>) {
  const started = performance.now();
  const base = await currentPlan(db);
  const draft: CommissionPlan = { ...base, ...input.plan, version: base.version + 1 } as CommissionPlan;
  const rows = await db.query<Row>(
    `SELECT o.id AS order_id, o.paid_at, o.user_id AS buyer_id, i.id AS order_item_id, i.product_id, p.category_id,
            i.quantity, i.line_total, i.cost_price
       FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
      WHERE o.paid_at >= $1 AND o.paid_at < $2
      ORDER BY o.id, i.id`,
    [input.from, input.to],
  );
  const members = await db.query<
    {
      id: string;
      descendant_id: string;
      depth: number;
      role: string;
      rank: Beneficiary["rank"];
      total_spent: string;
      erased: boolean;
    }
  >(
    `WITH buyers AS (SELECT DISTINCT user_id FROM orders WHERE paid_at >= $1 AND paid_at < $2)
     SELECT u.id, b.user_id AS descendant_id, 0 AS depth, u.role, u.rank, u.total_spent, u.erased_at IS NOT NULL AS erased
       FROM buyers b JOIN users u ON u.id = b.user_id
     UNION ALL
     SELECT u.id, rp.descendant_id, rp.depth, u.role, u.rank, u.total_spent, u.erased_at IS NOT NULL AS erased
       FROM buyers b JOIN referral_paths rp ON rp.descendant_id = b.user_id JOIN users u ON u.id = rp.ancestor_id`,
    [input.from, input.to],
  );
  const chains = new Map<string, { buyer?: Beneficiary; uplines: (Beneficiary & { depth: number })[] }>();
  for (const m of members) {
    const key = String(m.descendant_id);
    const entry = chains.get(key) ?? { uplines: [] };
    const who = { id: String(m.id), rank: m.rank, eligible: isEligible(draft, m), monthSales: "0" };
    if (m.depth === 0) entry.buyer = who;
    else entry.uplines.push({ ...who, depth: m.depth });
    chains.set(key, entry);
  }
  const orders: ReplayOrder[] = [];
  for (const r of rows) {
    let order = orders.at(-1);
    if (!order || order.orderId !== String(r.order_id)) {
      const chain = chains.get(String(r.buyer_id))!;
      order = {
        orderId: String(r.order_id),
        paidAt: new Date(r.paid_at),
        sales: "0",
        items: [],
        chain: { buyer: chain.buyer!, uplines: chain.uplines.sort((a, b) => a.depth - b.depth) },
      };
      orders.push(order);
    }
    order.sales = money(order.sales).plus(money(r.line_total)).toFixed(2);
    order.items.push({
      orderItemId: String(r.order_item_id),
      productId: String(r.product_id),
      categoryId: String(r.category_id),
      quantity: r.quantity,
      lineTotal: r.line_total,
      unitCost: r.cost_price,
    });
  }
  const actualRows = await db.query<{ beneficiary_id: string; amount: string }>(
    `SELECT l.beneficiary_id, sum(l.amount)::numeric(20,2)::text AS amount FROM commission_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.paid_at >= $1 AND o.paid_at < $2 GROUP BY l.beneficiary_id`,
    [input.from, input.to],
  );
  const actual = new Map(actualRows.map((r) => [String(r.beneficiary_id), money(r.amount)]));
  const computeStarted = performance.now();
  const result = simulatePlan(draft, orders, actual);
  const computeMs = performance.now() - computeStarted;
  return {
    orders: result.orders,
    sales: toMoneyString(result.sales),
    payout: toMoneyString(result.payout),
    payoutShare: result.payoutShare.toFixed(4),
    actualPayout: toMoneyString([...actual.values()].reduce((s, v) => s.plus(v), new Big(0))),
    violations: complianceViolations(draft, appConfig.shop),
    perDistributor: result.perDistributor.slice(0, 200).map((d) => ({
      id: d.id,
      actual: toMoneyString(d.actual),
      simulated: toMoneyString(d.simulated),
      difference: toMoneyString(d.difference),
    })),
    timing: { totalMs: Math.round(performance.now() - started), computeMs: Math.round(computeMs) },
  };
}
