import Big from "big.js";
import { sum } from "../money.ts";

/** Kinds of ledger account: per distributor, and for the platform. */
export type AccountKind =
  | "pending"
  | "available"
  | "withdrawing"
  | "paid_out"
  | "withheld_tax"
  | "commission_expense"
  | "fee_income";

/** One side of a double-entry transaction: debit positive, credit negative. */
export interface Posting {
  /** The distributor the account belongs to, or null for the platform's own accounts. */
  owner: string | null;
  kind: AccountKind;
  amount: Big;
}

/** Whether postings balance to zero, as every transaction must. */
export function isBalanced(postings: Posting[]): boolean {
  return sum(postings.map((p) => p.amount)).eq(0);
}

function balanced(postings: Posting[]): Posting[] {
  if (!isBalanced(postings)) throw new Error("Cannot post: the transaction does not balance");
  return postings;
}

/** A commission is earned: the platform's expense, the distributor's pending balance. */
export function creditCommission(beneficiary: string, amount: Big): Posting[] {
  return balanced([
    { owner: null, kind: "commission_expense", amount },
    { owner: beneficiary, kind: "pending", amount: amount.neg() },
  ]);
}

/** The return window closed: pending becomes available. */
export function releaseCommission(beneficiary: string, amount: Big): Posting[] {
  return balanced([
    { owner: beneficiary, kind: "pending", amount },
    { owner: beneficiary, kind: "available", amount: amount.neg() },
  ]);
}

/**
 * A refund claws back commission from where it sits now: pending if not yet released, otherwise
 * available (which may go negative and is then offset by future earnings).
 */
export function reverseCommission(beneficiary: string, amount: Big, from: "pending" | "available"): Posting[] {
  return balanced([
    { owner: beneficiary, kind: from, amount },
    { owner: null, kind: "commission_expense", amount: amount.neg() },
  ]);
}

/** A withdrawal is requested: the amount leaves available and waits for approval. */
export function holdWithdrawal(beneficiary: string, amount: Big): Posting[] {
  return balanced([
    { owner: beneficiary, kind: "available", amount },
    { owner: beneficiary, kind: "withdrawing", amount: amount.neg() },
  ]);
}

/** A withdrawal is rejected: the amount goes back to available. */
export function releaseWithdrawal(beneficiary: string, amount: Big): Posting[] {
  return balanced([
    { owner: beneficiary, kind: "withdrawing", amount },
    { owner: beneficiary, kind: "available", amount: amount.neg() },
  ]);
}

/** A withdrawal is paid: net to the distributor, tax withheld, fee to the platform. */
export function payWithdrawal(beneficiary: string, q: { amount: Big; fee: Big; tax: Big; net: Big }): Posting[] {
  const postings: Posting[] = [
    { owner: beneficiary, kind: "withdrawing", amount: q.amount },
    { owner: beneficiary, kind: "paid_out", amount: q.net.neg() },
    { owner: beneficiary, kind: "withheld_tax", amount: q.tax.neg() },
    { owner: null, kind: "fee_income", amount: q.fee.neg() },
  ];
  return balanced(postings.filter((p) => !p.amount.eq(0)));
}
