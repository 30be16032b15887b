import type { Ctx } from "../../../lib/app_env.ts";
import type { Handlers } from "../../../lib/fs_router.ts";
import { clientIp } from "../../../lib/http.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { fail } from "../../../lib/errors.ts";
import { fromShopLocalInput } from "../../../domain/shop_time.ts";
import { closePeriod, closePeriodSchema, settlementPeriods } from "../../../services/settlement.ts";
import { SettlementPeriods } from "../../../components/SettlementPeriods.tsx";
import { staffAction } from "../_action.ts";

async function settlementsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const periods = await settlementPeriods(c.get("deps").db, 50);
  // The next period starts exactly where the last one ended; the first one from a day the manager picks.
  const start = periods[0] ? new Date(periods[0].ends_at).toISOString() : null;
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, periods, start, end };
  return renderPage(c, <SettlementPeriods {...props} />, { title: t("ops.settlements"), status });
}

/** `/admin/settlements`: the periods, and closing the next one (shop time). */
export const handler: Handlers = {
  GET: [requirePermission("settlements.close"), (c) => settlementsPage(c)],
  POST: [
    requirePermission("settlements.close"),
    (c) =>
      staffAction(c, settlementsPage, "/admin/settlements", (form) => {
        const parsed = closePeriodSchema.safeParse({
          startsAt: fromShopLocalInput(form.startsAt ?? ""),
          endsAt: fromShopLocalInput(form.endsAt ?? ""),
        });
        if (!parsed.success) throw fail.invalid("Choose the period", { endsAt: parsed.error.issues[0].message });
        return closePeriod(c.get("deps").db, c.get("user")!, parsed.data, clientIp(c));
      }),
  ],
};

export default SettlementPeriods;
