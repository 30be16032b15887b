/** Times the what-if simulator (`simulateDraft`) over the generated month of paid orders. */
import type { Db } from "../db/db.ts";
import { ensurePlan } from "../services/distribution.ts";
import { simulateDraft, simulationSchema } from "../services/simulator.ts";

/** The draft plan the bench simulates. */
export const DRAFT_PLAN = {
  tiers: [{ rate: "0.08" }, { rate: "0.04" }, { rate: "0.02" }],
  base: "paid_amount",
  eligibility: "everyone",
  selfPurchase: false,
  holdDays: 7,
} as const;

/** What one simulator benchmark found. */
export interface SimulatorResult {
  orders: number;
  sales: string;
  payout: string;
  payoutShare: string;
  actualPayout: string;
  violations: string[];
  wallMs: number[];
  totalMs: number[];
  computeMs: number[];
}

/** Runs `simulateDraft` over the 30 days before `now`: `warmup` untimed runs, then `reps` timed runs. */
export async function benchSimulator(db: Db, now: Date, warmup: number, reps: number): Promise<SimulatorResult> {
  await ensurePlan(db);
  const input = simulationSchema.parse({
    from: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
    to: new Date(now.getTime() + 1_000).toISOString(),
    plan: DRAFT_PLAN,
  });
  const wallMs: number[] = [];
  const totalMs: number[] = [];
  const computeMs: number[] = [];
  let last: Awaited<ReturnType<typeof simulateDraft>> | undefined;
  for (let round = 0; round < warmup + reps; round++) {
    const t0 = performance.now();
    last = await simulateDraft(db, input);
    const elapsed = performance.now() - t0;
    if (round >= warmup) {
      wallMs.push(elapsed);
      totalMs.push(last.timing.totalMs);
      computeMs.push(last.timing.computeMs);
    }
  }
  return {
    orders: last!.orders,
    sales: last!.sales,
    payout: last!.payout,
    payoutShare: last!.payoutShare,
    actualPayout: last!.actualPayout,
    violations: last!.violations,
    wallMs,
    totalMs,
    computeMs,
  };
}
