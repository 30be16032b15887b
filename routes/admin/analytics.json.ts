import type { Handlers } from "../../lib/fs_router.ts";
import { requirePermission } from "../../lib/guards.ts";
import { analyticsSnapshot } from "../../services/analytics.ts";
import { liveAnalytics } from "../../components/analytics_tables.ts";
import { analyticsFilter } from "./_analytics.ts";

/**
 * `/admin/analytics.json`: the live analytics island re-syncs from here when the shop's day turns and every
 * few minutes ("same time yesterday" moves on); between syncs it follows the event stream.
 */
export const handler: Handlers = {
  GET: [requirePermission("analytics.read"), async (c) => {
    const { filter } = analyticsFilter(c);
    return c.json(liveAnalytics(await analyticsSnapshot(c.get("deps").db, new Date(), filter)));
  }],
};
