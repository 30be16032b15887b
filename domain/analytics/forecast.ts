import Big from "big.js";
import { decimalText, roundDown, roundUp } from "../money.ts";

/** Days of sales the restock forecast looks back on (its sales rate is units sold over this window per day). */
export const SALES_WINDOW_DAYS = 14;

/**
 * Days of sales a suggested reorder covers after it arrives (one sales window): the reorder brings the
 * stock up to the lead time's demand plus these days' demand plus the low-stock threshold as safety stock.
 */
export const REORDER_COVER_DAYS = SALES_WINDOW_DAYS;

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
  const rate = new Big(input.unitsSold14d).div(SALES_WINDOW_DAYS);
  if (rate.eq(0)) return { dailyRate: "0.00", daysLeft: null, restockNow: false };
  // stock / (sold / 14) as stock × 14 / sold: dividing by the rounded rate could fall a day short.
  const daysLeft = roundDown(new Big(Math.max(0, input.stock)).times(SALES_WINDOW_DAYS).div(input.unitsSold14d))
    .toNumber();
  return { dailyRate: decimalText(rate, 2), daysLeft, restockNow: daysLeft < input.leadTimeDays };
}

/** One SKU's stock and recent sales, with its product's lead time. */
export interface SkuStockInput {
  /** Units of the SKU that can still be sold (on hand minus reserved by unpaid orders). */
  sellable: number;
  /** Units of the SKU sold in the last 14 days. */
  unitsSold14d: number;
  /** Days a restock of the product takes to arrive. */
  leadTimeDays: number;
  /** The SKU's low-stock threshold (also the safety stock a reorder keeps). */
  lowStockThreshold: number;
}

/** A SKU's restock forecast: the product forecast's figures, whether it is low, and what to reorder now. */
export interface SkuRestock extends Forecast {
  /** At or below its low-stock threshold. */
  low: boolean;
  /**
   * Whole units to order now (0 when neither low nor due): enough to cover the demand over the lead time and
   * `REORDER_COVER_DAYS` after it at the 14-day rate, plus the low-stock threshold, less what is sellable.
   */
  suggestedReorder: number;
}

/**
 * Restock forecast of one SKU at its own 14-day sales rate: days of cover (null when it does not sell),
 * due when it runs out before a reorder placed today arrives, and the suggested reorder when due or low.
 */
export function skuRestock(input: SkuStockInput): SkuRestock {
  const forecast = restockForecast({
    stock: input.sellable,
    unitsSold14d: input.unitsSold14d,
    leadTimeDays: input.leadTimeDays,
  });
  const low = input.sellable <= input.lowStockThreshold;
  if (!low && !forecast.restockNow) return { ...forecast, low, suggestedReorder: 0 };
  const demand = new Big(input.unitsSold14d).times(input.leadTimeDays + REORDER_COVER_DAYS).div(SALES_WINDOW_DAYS);
  const target = roundUp(demand).plus(input.lowStockThreshold);
  const missing = target.minus(Math.max(0, input.sellable));
  return { ...forecast, low, suggestedReorder: missing.gt(0) ? missing.toNumber() : 0 };
}

/** A product's restock forecast summed up from its SKUs'. */
export interface ProductRestock {
  /** Units per day over the last 14 days, all SKUs together (2 decimals). */
  dailyRate: string;
  /** Days until the first SKU that sells runs out (null when none sells). */
  daysLeft: number | null;
  /** True when any SKU is due for a restock. */
  restockNow: boolean;
  /** True when any SKU is at or below its threshold. */
  low: boolean;
  /** Units to reorder now over all SKUs. */
  suggestedReorder: number;
  /** How many SKUs are due for a restock, and how many are low. */
  skusToRestock: number;
  skusLow: number;
  /** Each SKU's forecast, in the order given. */
  skus: SkuRestock[];
}

/**
 * The restock forecast of a product, per SKU: each SKU at its own sales rate (a product whose total looks
 * plentiful is still due when one of its SKUs runs out), summed into the product's figures.
 */
export function productRestock(skus: readonly SkuStockInput[]): ProductRestock {
  const each = skus.map(skuRestock);
  const sold = skus.reduce((n, s) => n + s.unitsSold14d, 0);
  const days = each.map((s) => s.daysLeft).filter((d): d is number => d !== null);
  return {
    dailyRate: decimalText(new Big(sold).div(SALES_WINDOW_DAYS), 2),
    daysLeft: days.length ? Math.min(...days) : null,
    restockNow: each.some((s) => s.restockNow),
    low: each.some((s) => s.low),
    suggestedReorder: each.reduce((n, s) => n + s.suggestedReorder, 0),
    skusToRestock: each.filter((s) => s.restockNow).length,
    skusLow: each.filter((s) => s.low).length,
    skus: each,
  };
}
