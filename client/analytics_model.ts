import Big from "big.js";
import type { LiveEvent } from "./live.ts";

/** The live numbers of the manager's analytics home (money as decimal strings). */
export interface AnalyticsState {
  gmv: string;
  orders: number;
  commission30: string;
  gmv30: string;
  perMinute: { minute: string; orders: number }[];
  topProducts: { productId: string; name: string; units: number; sales: string }[];
  commissionByTier: { tier: number; amount: string }[];
  newMembers: number;
}

/**
 * How many products the island keeps figures for. Far more than the ten it shows, so a product
 * that drops out of the top ten keeps its running total and comes back with the right figure.
 */
export const TRACKED_PRODUCTS = 500;

/** The HH:MM of a moment in the shop's time zone (the orders-per-minute buckets). */
export function minuteOf(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  })
    .format(new Date(iso));
}

/** Applies a shop-wide live event to the analytics numbers. Pure. */
export function applyAnalyticsEvent(state: AnalyticsState, e: LiveEvent): AnalyticsState {
  const s: AnalyticsState = structuredClone(state);
  const d = e.data as Record<string, unknown>;
  if (e.type === "sale" && typeof d.amount === "string" && Array.isArray(d.items)) {
    s.gmv = new Big(s.gmv).plus(d.amount).toFixed(2);
    s.gmv30 = new Big(s.gmv30).plus(d.amount).toFixed(2);
    s.orders += 1;
    if (typeof d.commission === "string") s.commission30 = new Big(s.commission30).plus(d.commission).toFixed(2);
    const minute = minuteOf(e.at);
    const bucket = s.perMinute.find((m) => m.minute === minute);
    if (bucket) bucket.orders += 1;
    else s.perMinute = [...s.perMinute, { minute, orders: 1 }].slice(-60);
    for (const item of d.items as { productId: string; name: string; quantity: number; lineTotal: string }[]) {
      const p = s.topProducts.find((t) => t.productId === item.productId);
      if (p) {
        p.units += item.quantity;
        p.sales = new Big(p.sales).plus(item.lineTotal).toFixed(2);
      } else {s.topProducts.push({
          productId: item.productId,
          name: item.name,
          units: item.quantity,
          sales: item.lineTotal,
        });}
    }
    // Ties go to the lower product id, as in the server's snapshot.
    s.topProducts = s.topProducts.sort((a, b) =>
      new Big(b.sales).cmp(a.sales) || Number(a.productId) - Number(b.productId)
    ).slice(0, TRACKED_PRODUCTS);
    if (Array.isArray(d.commissionByTier)) {
      (d.commissionByTier as string[]).forEach((amount, i) => {
        const t = s.commissionByTier.find((c) => c.tier === i + 1);
        if (t) t.amount = new Big(t.amount).plus(amount).toFixed(2);
        else if (new Big(amount).gt(0)) s.commissionByTier.push({ tier: i + 1, amount });
      });
    }
  } else if (e.type === "member_joined") {
    s.newMembers += 1;
  }
  return s;
}
