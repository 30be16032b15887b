import Big from "big.js";
import { decimalText, roundDown } from "../money.ts";

/** A product's stock and recent sales, for the restock forecast. */
export interface ForecastInput {
  /** Units that can still be sold. */
  stock: number;
  /** Units sold in the last 14 days. */
  unitsSold14d: number;
  /** Days a restock takes to arrive. */
  leadTimeDays: number;
}

/** How long the stock lasts at the current rate, and whether to restock now. */
export interface Forecast {
  /** Units per day over the last 14 days (2 decimals). */
  dailyRate: string;
  /** Whole days the stock lasts, or null when nothing sells. */
  daysLeft: number | null;
  /** True when the stock runs out before a restock ordered today would arrive. */
  restockNow: boolean;
}

/** Restock forecast: at the 14-day sales rate, how many days the stock lasts, flagged under the lead time. */
export function restockForecast(input: ForecastInput): Forecast {
  const rate = new Big(input.unitsSold14d).div(14);
  if (rate.eq(0)) return { dailyRate: "0.00", daysLeft: null, restockNow: false };
  const daysLeft = roundDown(new Big(Math.max(0, input.stock)).div(rate)).toNumber();
  return { dailyRate: decimalText(rate, 2), daysLeft, restockNow: daysLeft < input.leadTimeDays };
}
