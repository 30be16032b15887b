import Big from "big.js";
import { money, roundCents } from "../money.ts";

/** One bracket of a progressive withholding schedule on taxable income. */
export interface TaxBracket {
  /** Upper bound of taxable income for this bracket (null = no bound). */
  upTo: string | null;
  rate: string;
  quickDeduction: string;
}

/** A progressive withholding schedule with its deduction rule. */
export interface TaxSchedule {
  /** Income at or below this gets a flat deduction; above it a share is deducted. */
  deductionThreshold: string;
  flatDeduction: string;
  shareDeduction: string;
  brackets: TaxBracket[];
}

/**
 * The common labour-remuneration (劳务报酬) withholding schedule: income up to ¥4,000 is taxed
 * on income − ¥800, above that on 80 % of income; taxable income up to ¥20,000 at 20 %, up to
 * ¥50,000 at 30 % less ¥2,000, above at 40 % less ¥7,000.
 */
export const LABOUR_REMUNERATION: TaxSchedule = {
  deductionThreshold: "4000",
  flatDeduction: "800",
  shareDeduction: "0.20",
  brackets: [
    { upTo: "20000", rate: "0.20", quickDeduction: "0" },
    { upTo: "50000", rate: "0.30", quickDeduction: "2000" },
    { upTo: null, rate: "0.40", quickDeduction: "7000" },
  ],
};

/** Tax due on an income under a schedule (rounded to cents, never negative). */
export function taxOn(income: Big, schedule: TaxSchedule = LABOUR_REMUNERATION): Big {
  if (income.lte(0)) return new Big(0);
  const taxable = income.lte(money(schedule.deductionThreshold))
    ? income.minus(money(schedule.flatDeduction))
    : income.times(new Big(1).minus(money(schedule.shareDeduction)));
  if (taxable.lte(0)) return new Big(0);
  const bracket = schedule.brackets.find((b) => b.upTo === null || taxable.lte(money(b.upTo)))!;
  const tax = taxable.times(money(bracket.rate)).minus(money(bracket.quickDeduction));
  return tax.gt(0) ? roundCents(tax) : new Big(0);
}

/** What a withdrawal pays out after its fee and the tax withheld on the period's cumulative income. */
export interface WithdrawalQuote {
  amount: Big;
  fee: Big;
  tax: Big;
  net: Big;
}

/**
 * Quotes a withdrawal: tax is computed on the period's cumulative withdrawn income including this
 * one, less what this period already withheld; the fee comes off too.
 */
export function quoteWithdrawal(
  amount: Big,
  fee: Big,
  periodIncomeBefore: Big,
  taxWithheldBefore: Big,
  schedule: TaxSchedule = LABOUR_REMUNERATION,
): WithdrawalQuote {
  const owed = taxOn(periodIncomeBefore.plus(amount), schedule).minus(taxWithheldBefore);
  const tax = owed.gt(0) ? owed : new Big(0);
  const net = amount.minus(fee).minus(tax);
  return { amount, fee, tax, net: net.gt(0) ? net : new Big(0) };
}
