import type { Handlers, RouteConfig } from "../../../../lib/fs_router.ts";
import { readQuery } from "../../../../lib/http.ts";
import { renderPage } from "../../../../lib/render.tsx";
import { requirePermission } from "../../../../lib/guards.ts";
import { periodReview, periodReviewQuery } from "../../../../services/settlement.ts";
import { PeriodReview } from "../../../../components/SettlementReview.tsx";

/** Period ids are numbers. */
export const config: RouteConfig = { params: { id: "\\d+" } };

/** `/admin/settlements/:id`: a closed period's statements for the finance reviewer. */
export const handler: Handlers = {
  GET: [requirePermission("settlements.close"), async (c) => {
    const t = c.get("t");
    const q = readQuery(c, periodReviewQuery);
    const id = c.req.param("id")!;
    const r = await periodReview(c.get("deps").db, id, q);
    const allOk = r.statements.every((s) => s.check.ok);
    return renderPage(c, <PeriodReview t={t} user={c.get("user")} q={q} r={r} allOk={allOk} />, {
      title: `${t("stmt.review")} · ${t("stmt.period", { id: r.period.id })}`,
    });
  }],
};

export default PeriodReview;
