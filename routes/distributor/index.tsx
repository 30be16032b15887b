import type { Handlers } from "../../lib/fs_router.ts";
import type { Translator } from "../../i18n/messages.ts";
import { Island } from "../../lib/island.tsx";
import { renderPortal } from "../../lib/portal.tsx";
import { requireMember } from "../../lib/guards.ts";
import { RANKS } from "../../domain/commission/plan.ts";
import { dashboardSnapshot } from "../../services/portal.ts";
import DistributorDashboard from "../../islands/DistributorDashboard.tsx";

function dashboardLabels(t: Translator) {
  const keys = [
    "title",
    "commission",
    "today",
    "month",
    "pending",
    "available",
    "paid",
    "teamSales",
    "tier",
    "tier1",
    "tier2",
    "tier3",
    "members",
    "salesToday",
    "sales7d",
    "sales30d",
    "newMembers",
    "rank",
    "nextRank",
    "charts",
    "salesChart",
    "commissionChart",
    "topProducts",
    "feed",
    "feedEmpty",
    "feedSale",
    "feedCommission",
    "feedReleased",
    "feedClawback",
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, t.raw(`dash.${k}`)])) as Record<(typeof keys)[number], string>;
}

/** `/distributor`: the live dashboard. */
export const handler: Handlers = {
  GET: [requireMember(), async (c) => {
    const t = c.get("t");
    const snap = await dashboardSnapshot(c.get("deps").db, String(c.get("user")!.id));
    return renderPortal(
      c,
      <Island
        of={DistributorDashboard}
        props={{
          state: {
            rank: snap.rank,
            commission: snap.commission,
            tiers: snap.tiers,
            newMembersToday: snap.newMembersToday,
            days: snap.days,
            salesSeries: snap.salesSeries,
            commissionSeries: snap.commissionSeries,
            feed: snap.feed,
          },
          lastEventId: snap.lastEventId,
          nextRank: snap.nextRank,
          topProducts: snap.topProducts,
          labels: dashboardLabels(t),
          statusLabels: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
          rankLabels: Object.fromEntries(RANKS.map((r) => [r, t(`rank.${r}`)])),
        }}
      />,
      t("dash.title"),
    );
  }],
};
