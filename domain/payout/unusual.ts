import { money } from "../money.ts";

/** Why a withdrawal request deserves a closer look before a manager approves it. */
export type UnusualReason = "large" | "frequent";

/** The thresholds (the shop's settings). */
export interface UnusualRule {
  /** At least this amount (a decimal string) is large. */
  largeAmount: string;
  /** This many requests by one member within 24 hours (this one included) is frequent. */
  perDay: number;
}

/**
 * The reasons a withdrawal is unusual: a large amount, or one of many requests in a short time.
 * `earlierIn24h` counts the same member's requests in the 24 hours before this one.
 */
export function unusualWithdrawal(
  w: { amount: string; earlierIn24h: number },
  rule: UnusualRule,
): UnusualReason[] {
  const reasons: UnusualReason[] = [];
  if (money(w.amount).gte(money(rule.largeAmount))) reasons.push("large");
  if (w.earlierIn24h + 1 >= rule.perDay) reasons.push("frequent");
  return reasons;
}
