import type { Translator } from "../i18n/messages.ts";
import type { AnalyticsSnapshot } from "../services/analytics.ts";

/** The analytics home's tables, by the name their download links use. */
export const ANALYTICS_TABLES = [
  "top-products",
  "top-distributors",
  "commission-by-tier",
  "orders-per-minute",
] as const;
/** An analytics table's name. */
export type AnalyticsTable = typeof ANALYTICS_TABLES[number];

/** One analytics table as rows (header first), as the page shows it: the top ten of a ranking. */
export function analyticsTable(a: AnalyticsSnapshot, table: AnalyticsTable, t: Translator): string[][] {
  switch (table) {
    case "top-products":
      return [
        ["product_id", t("an.product"), t("an.units"), t("an.sales")],
        ...a.topProducts.slice(0, 10).map((p) => [p.productId, p.name, String(p.units), p.sales]),
      ];
    case "top-distributors":
      return [
        ["member_id", t("an.distributor"), t("an.sales"), t("an.commission")],
        ...a.topDistributors.slice(0, 10).map((d) => [d.id, d.name, d.sales, d.commission]),
      ];
    case "commission-by-tier":
      return [
        [t("an.tier"), t("an.commission")],
        ...a.commissionByTier.map((x) => [t(`an.tier${x.tier}`), x.amount]),
      ];
    case "orders-per-minute":
      return [[t("an.minute"), t("an.orders")], ...a.perMinute.map((m) => [m.minute, String(m.orders)])];
  }
}

/** What the live analytics island starts from (and re-syncs to): the live state, yesterday, the event id. */
export function liveAnalytics(a: AnalyticsSnapshot) {
  return {
    state: {
      gmv: a.gmv,
      orders: a.orders,
      commission30: a.commission30,
      gmv30: a.gmv30,
      perMinute: a.perMinute,
      topProducts: a.topProducts,
      commissionByTier: a.commissionByTier,
      newMembers: a.newMembers,
      visitors: a.visitors,
      buyersToday: a.buyersToday,
      buyers: a.buyers,
      repeatBuyers: a.repeatBuyers,
      lifetime: a.lifetime,
      onSale: a.onSale,
      slowProductIds: a.slowProductIds,
      topDistributors: a.topDistributors,
      newDistributors: a.newDistributors,
    },
    yesterday: a.yesterday,
    lastEventId: a.lastEventId,
  };
}
