import type { Handlers } from "../../lib/fs_router.ts";
import type { MessageKey } from "../../i18n/messages.ts";
import { renderPage } from "../../lib/render.tsx";
import { Island } from "../../lib/island.tsx";
import { requirePermission } from "../../lib/guards.ts";
import { can, staffRoleOf } from "../../domain/permissions.ts";
import { RANKS } from "../../domain/commission/plan.ts";
import { currentPlan, ensurePlan } from "../../services/distribution.ts";
import { appConfig } from "../../fresh.config.ts";
import PlanEditor, { PLAN_LABELS, type PlanLabel } from "../../islands/PlanEditor.tsx";

/** `/admin/plan`: the commission plan editor (publishing needs `plan.write`). */
export const handler: Handlers = {
  GET: [requirePermission("plan.read"), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    await ensurePlan(db);
    const plan = await currentPlan(db);
    const labels = Object.fromEntries(PLAN_LABELS.map((k) => [k, t(`plan.${k}` as MessageKey)])) as Record<
      PlanLabel,
      string
    >;
    return renderPage(
      c,
      <section class="stack">
        <h1>{t("plan.title")}</h1>
        <Island
          of={PlanEditor}
          props={{
            plan,
            canPublish: can(staffRoleOf(c.get("user")!), "plan.write"),
            labels,
            rankNames: Object.fromEntries(RANKS.map((r) => [r, t(`rank.${r}`)])),
            returnWindowDays: appConfig.shop.returnWindowDays,
          }}
        />
      </section>,
      { title: t("plan.title") },
    );
  }],
};
