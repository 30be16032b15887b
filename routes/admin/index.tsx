import type { Handlers } from "../../lib/fs_router.ts";
import { renderPage } from "../../lib/render.tsx";
import { requirePermission } from "../../lib/guards.ts";
import { memberSnapshot } from "../../services/dashboard.ts";
import { withdrawalsForReview } from "../../services/earnings.ts";
import { analyticsSnapshot, orderCities } from "../../services/analytics.ts";
import { lowStockSkus } from "../../services/stock_admin.ts";
import { ConsoleHome } from "../../components/ConsoleHome.tsx";
import { analyticsFilter } from "./_analytics.ts";

/** `/admin`: the manager console home. */
export const handler: Handlers = {
  GET: [requirePermission("analytics.read"), async (c) => {
    const t = c.get("t");
    const snap = await memberSnapshot(c.get("deps").db);
    const { f, filter } = analyticsFilter(c);
    const filtered = f.days !== 30 || Boolean(filter.city || filter.rank);
    const [a, cities, lowStock, requested] = await Promise.all([
      analyticsSnapshot(c.get("deps").db, new Date(), filter),
      orderCities(c.get("deps").db),
      lowStockSkus(c.get("deps").db),
      withdrawalsForReview(c.get("deps").db, { onlyRequested: true, limit: 200 }),
    ]);
    const unusualWithdrawals = requested.filter((w) => w.unusual.length > 0).slice(0, 20);
    const exportQuery = new URLSearchParams(
      Object.entries({ days: String(f.days), city: f.city ?? "", rank: f.rank ?? "" }).filter(([, v]) => v),
    ).toString();
    const props = { t, path: c.req.path, user: c.get("user"), snap, f, cities, a, exportQuery, filtered };
    return renderPage(c, <ConsoleHome {...props} unusualWithdrawals={unusualWithdrawals} lowStock={lowStock} />, {
      title: t("admin.title"),
    });
  }],
};

export default ConsoleHome;
