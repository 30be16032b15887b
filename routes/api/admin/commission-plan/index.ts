import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { currentPlan, ensurePlan, planPublishSchema, publishPlan } from "../../../../services/distribution.ts";
import { checkCompliance } from "../../../../domain/commission/plan.ts";
import { appConfig } from "../../../../fresh.config.ts";

/** `GET /api/admin/commission-plan` (the plan in force and its checks) and `PUT` a new version. */
export const handler: Handlers = {
  GET: [requirePermission("plan.read"), async (c) => {
    const db = c.get("deps").db;
    await ensurePlan(db);
    const plan = await currentPlan(db);
    return c.json({ plan, checks: checkCompliance(plan, appConfig.shop) });
  }],
  PUT: [requirePermission("plan.write"), async (c) => {
    const input = await readJson(c, planPublishSchema);
    const plan = await publishPlan(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ plan, checks: checkCompliance(plan, appConfig.shop) });
  }],
};
