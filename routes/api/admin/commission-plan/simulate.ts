import type { Handlers } from "../../../../lib/fs_router.ts";
import { readJson } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { simulateDraft, simulationSchema } from "../../../../services/simulator.ts";

/** `POST /api/admin/commission-plan/simulate`: what-if, a period replayed under a draft plan. */
export const handler: Handlers = {
  POST: [requirePermission("plan.read"), async (c) => {
    const input = await readJson(c, simulationSchema);
    return c.json({ simulation: await simulateDraft(c.get("deps").db, input) });
  }],
};
