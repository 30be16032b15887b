import { money } from "../money.ts";
import type { CommissionPlan } from "./plan.ts";

/** What eligibility needs to know of a member: their role and what they have spent (a decimal string). */
export interface EligibilityFacts {
  role: string;
  total_spent: string;
  /** Their personal data was erased: they never earn again. */
  erased?: boolean;
}

/**
 * Whether a member may earn commission under the plan's eligibility rule: everyone; distributors
 * only; or distributors and members whose spending reached the plan's threshold. An erased member is
 * never eligible, whatever the rule.
 */
export function isEligible(
  plan: Pick<CommissionPlan, "eligibility" | "spendThreshold">,
  member: EligibilityFacts,
): boolean {
  if (member.erased) return false;
  if (plan.eligibility === "everyone") return true;
  if (member.role === "distributor") return true;
  return plan.eligibility === "spend_threshold" && money(member.total_spent).gte(money(plan.spendThreshold));
}
