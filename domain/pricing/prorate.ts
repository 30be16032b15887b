import Big from "big.js";
import { hasAtMostPlaces, roundDown, sum } from "../money.ts";

/**
 * Splits `total` (in cents, exactly) over parts in proportion to `weights`, by the largest
 * remainder method: every part is a whole number of cents and the parts add up to `total`
 * exactly. Zero weights get zero; when every weight is zero the total goes to the first part.
 */
export function prorate(total: Big, weights: Big[]): Big[] {
  if (weights.length === 0) {
    if (!total.eq(0)) throw new Error("Cannot prorate: no parts to split a non-zero total over");
    return [];
  }
  const cents = total.times(100);
  if (!hasAtMostPlaces(cents, 0)) throw new Error("Cannot prorate: total has fractions of a cent");
  if (weights.some((w) => w.lt(0))) throw new Error("Cannot prorate: weights must not be negative");
  const weightSum = sum(weights);
  if (weightSum.eq(0)) return weights.map((_, i) => (i === 0 ? total : new Big(0)));
  const negative = cents.lt(0);
  const abs = cents.abs();
  const exact = weights.map((w) => abs.times(w).div(weightSum));
  const floors = exact.map((e) => roundDown(e));
  let remainder = abs.minus(sum(floors)).toNumber();
  const order = exact
    .map((e, i) => ({ i, frac: e.minus(floors[i]) }))
    .sort((a, b) => b.frac.cmp(a.frac) || a.i - b.i);
  for (const { i } of order) {
    if (remainder <= 0) break;
    floors[i] = floors[i].plus(1);
    remainder--;
  }
  return floors.map((f) => (negative ? f.neg() : f).div(100));
}
