import { decimalText, money, toMoneyString } from "../money.ts";

/** The counts and sums the analytics home derives its ratios from (money as decimal strings). */
export interface FigureInputs {
  gmv: string;
  orders: number;
  visitors: number;
  buyersToday: number;
  buyers: number;
  repeatBuyers: number;
  lifetime: string;
  onSale: number;
  slowCount: number;
  commission30: string;
  gmv30: string;
}

/** The ratios (4-decimal strings) and averages (money strings) the analytics home shows. */
export interface AnalyticsFigures {
  averageOrder: string;
  conversion: string;
  repurchaseRate: string;
  lifetimeValue: string;
  slowShare: string;
  commissionShare: string;
}

/** `part / whole` as a 4-decimal ratio; "0.0000" when the whole is zero. */
export function ratio(part: string | number, whole: string | number): string {
  const w = money(String(whole));
  return w.gt(0) ? decimalText(money(String(part)).div(w), 4) : "0.0000";
}

/** A money total spread over a count (the average order, the lifetime value); "0.00" over none. */
export function perHead(total: string, count: number): string {
  return count > 0 ? toMoneyString(money(total).div(count)) : "0.00";
}

/**
 * The part of a commission line's base (the distributor's sale) that a claw-back of `reversed`
 * out of the line's `amount` takes back: the same share, to the cent (half-up). Top distributors'
 * sales are the base net of these, next to the commission net of the claw-backs, in the server's
 * snapshot (`services/analytics.ts`, the same rounding in SQL) and the live model alike.
 */
export function reversedBase(base: string, amount: string, reversed: string): string {
  const a = money(amount);
  return a.gt(0) ? toMoneyString(money(base).times(money(reversed)).div(a)) : "0.00";
}

/**
 * The analytics home's derived figures, one rule for the server's snapshot and the live island:
 * conversion = today's paying buyers / today's visitors; repurchase = buyers with two or more paid
 * orders / all buyers; lifetime value = all paid order totals / all buyers; slow share = products on
 * sale with no paid sale in 30 days / products on sale; commission share = 30-day commission / GMV.
 */
export function analyticsFigures(x: FigureInputs): AnalyticsFigures {
  return {
    averageOrder: perHead(x.gmv, x.orders),
    conversion: ratio(x.buyersToday, x.visitors),
    repurchaseRate: ratio(x.repeatBuyers, x.buyers),
    lifetimeValue: perHead(x.lifetime, x.buyers),
    slowShare: ratio(x.slowCount, x.onSale),
    commissionShare: ratio(x.commission30, x.gmv30),
  };
}
