import Big from "big.js";
import type { LiveEvent } from "./live.ts";
import { shopMinute } from "../domain/shop_time.ts";
import { type AnalyticsFigures, analyticsFigures, type FigureInputs } from "../domain/analytics/figures.ts";

/** The live numbers of the manager's analytics home (money as decimal strings). */
export interface AnalyticsState extends Omit<FigureInputs, "slowCount"> {
  perMinute: { minute: string; orders: number }[];
  topProducts: { productId: string; name: string; units: number; sales: string }[];
  commissionByTier: { tier: number; amount: string }[];
  newMembers: number;
  /** Products on sale with no paid sale in 30 days (their count is the slow share's numerator). */
  slowProductIds: string[];
  topDistributors: TopDistributor[];
  newDistributors: number;
}

/** A distributor's direct (tier-1) sales and commission over the period. */
export interface TopDistributor {
  id: string;
  name: string;
  sales: string;
  commission: string;
}

/** The page's derived figures (conversion, repurchase, LTV, …) from the live state, by the domain's rule. */
export function figuresOf(s: AnalyticsState): AnalyticsFigures {
  return analyticsFigures({ ...s, slowCount: s.slowProductIds.length });
}

/**
 * How many products (and distributors) the island keeps figures for. Far more than the ten it shows, so a product
 * that drops out of the top ten keeps its running total and comes back with the right figure.
 */
export const TRACKED_PRODUCTS = 500;

/**
 * The last 60 minutes up to `nowIso`, one bucket a minute (HH:MM in shop time), minutes without
 * orders as 0: what the orders-per-minute chart draws, sliding as time passes. Pure.
 */
export function minuteWindow(perMinute: { minute: string; orders: number }[], nowIso: string) {
  const byMinute = new Map(perMinute.map((m) => [m.minute, m.orders]));
  const now = new Date(nowIso).getTime();
  return Array.from({ length: 60 }, (_, i) => {
    const minute = shopMinute(new Date(now - (59 - i) * 60_000).toISOString());
    return { minute, orders: byMinute.get(minute) ?? 0 };
  });
}

/** Applies a shop-wide live event to the analytics numbers. Pure. */
export function applyAnalyticsEvent(state: AnalyticsState, e: LiveEvent): AnalyticsState {
  const s: AnalyticsState = structuredClone(state);
  if (e.type === "shop_sale" && typeof e.data.amount === "string" && Array.isArray(e.data.items)) {
    const d = e.data;
    s.gmv = new Big(s.gmv).plus(d.amount).toFixed(2);
    s.gmv30 = new Big(s.gmv30).plus(d.amount).toFixed(2);
    s.orders += 1;
    if (typeof d.commission === "string") s.commission30 = new Big(s.commission30).plus(d.commission).toFixed(2);
    const minute = shopMinute(e.at);
    const bucket = s.perMinute.find((m) => m.minute === minute);
    if (bucket) bucket.orders += 1;
    else s.perMinute = [...s.perMinute, { minute, orders: 1 }].slice(-60);
    for (const item of d.items) {
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
    if (typeof d.buyerPaidOrders === "number") {
      if (d.buyerPaidOrders === 1) s.buyers += 1;
      if (d.buyerPaidOrders === 2) s.repeatBuyers += 1;
      s.lifetime = new Big(s.lifetime).plus(d.amount).toFixed(2);
    }
    if (d.buyerPaidToday === 1) s.buyersToday += 1;
    if (d.newVisitor === true) s.visitors += 1;
    const sold = new Set(d.items.map((i) => i.productId));
    s.slowProductIds = s.slowProductIds.filter((id) => !sold.has(id));
    const tier1 = d.tier1;
    if (tier1 && typeof tier1.id === "string") {
      const t = s.topDistributors.find((x) => x.id === tier1.id);
      if (t) {
        t.sales = new Big(t.sales).plus(tier1.base).toFixed(2);
        t.commission = new Big(t.commission).plus(tier1.amount).toFixed(2);
      } else s.topDistributors.push({ id: tier1.id, name: tier1.name, sales: tier1.base, commission: tier1.amount });
      // Ties go to the lower member id, as in the server's snapshot.
      s.topDistributors = s.topDistributors.sort((a, b) => new Big(b.sales).cmp(a.sales) || Number(a.id) - Number(b.id))
        .slice(0, TRACKED_PRODUCTS);
    }
    if (Array.isArray(d.commissionByTier)) {
      d.commissionByTier.forEach((amount, i) => {
        const t = s.commissionByTier.find((c) => c.tier === i + 1);
        if (t) t.amount = new Big(t.amount).plus(amount).toFixed(2);
        else if (new Big(amount).gt(0)) s.commissionByTier.push({ tier: i + 1, amount });
      });
    }
  } else if (e.type === "commission_reversed" && typeof e.data.total === "string" && Array.isArray(e.data.byTier)) {
    const d = e.data;
    // A refund clawed commission back: the cost (by tier and by distributor) is what is kept.
    s.commission30 = new Big(s.commission30).minus(d.total).toFixed(2);
    d.byTier.forEach((amount, i) => {
      const t = s.commissionByTier.find((c) => c.tier === i + 1);
      if (t) t.amount = new Big(t.amount).minus(amount).toFixed(2);
    });
    // Both of a top distributor's figures are net: the refund takes its share of the sales too.
    for (const r of d.tier1 ?? []) {
      const t = s.topDistributors.find((x) => x.id === r.id);
      if (t) {
        t.commission = new Big(t.commission).minus(r.amount).toFixed(2);
        if (typeof r.base === "string") t.sales = new Big(t.sales).minus(r.base).toFixed(2);
      }
    }
    s.topDistributors = s.topDistributors.sort((a, b) => new Big(b.sales).cmp(a.sales) || Number(a.id) - Number(b.id));
  } else if (e.type === "member_joined") {
    s.newMembers += 1;
  } else if (e.type === "visitor") {
    // Visits are written in batches: one event carries how many new visitors it counted.
    s.visitors += typeof e.data.count === "number" ? e.data.count : 1;
  } else if (e.type === "distributor_joined") {
    s.newDistributors += 1;
  }
  return s;
}
