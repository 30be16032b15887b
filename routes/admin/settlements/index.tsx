import { z } from "zod";
import type { Ctx } from "../../../lib/app_env.ts";
import type { Handlers } from "../../../lib/fs_router.ts";
import { clientIp } from "../../../lib/http.ts";
import { renderPage } from "../../../lib/render.tsx";
import { requirePermission } from "../../../lib/guards.ts";
import { fail } from "../../../lib/errors.ts";
import { issueMsg } from "../../../lib/validate.ts";
import { fromShopLocalInput } from "../../../domain/shop_time.ts";
import {
  closePeriod,
  closePeriodSchema,
  lastPeriodEnd,
  PERIOD_SORTS,
  settlementPeriods,
} from "../../../services/settlement.ts";
import { keepQuery, listQuerySchema, readListQuery } from "../../../lib/list_query.ts";
import { appConfig } from "../../../fresh.config.ts";
import { says } from "../../../i18n/messages.ts";
import { SettlementPeriods } from "../../../components/SettlementPeriods.tsx";
import { staffAction } from "../_action.ts";

const PAGE_SIZE = 50;
const DEFAULTS = { sort: "period", dir: "desc" } as const;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, says("validation.day")).optional();
const periodQuery = listQuerySchema({ sorts: PERIOD_SORTS, ...DEFAULTS, filters: { from: day, to: day } });

async function settlementsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const q = readListQuery(c, periodQuery);
  const [{ rows: periods, total }, last] = await Promise.all([
    settlementPeriods(db, {
      ...q,
      timeZone: appConfig.timeZone,
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
    }),
    lastPeriodEnd(db),
  ]);
  // The next period starts exactly where the last one ended; the first one from a day the manager picks.
  const start = last ? last.toISOString() : null;
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, periods, start, end };
  const list = { q, keep: keepQuery(q, DEFAULTS), total, pageSize: PAGE_SIZE };
  return renderPage(c, <SettlementPeriods {...props} {...list} />, { title: t("ops.settlements"), status });
}

/** `/admin/settlements?from=&to=&sort=&dir=&page=`: the periods, and closing the next one (shop time). */
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
        if (!parsed.success) {
          throw fail.invalid("stmt.err.choosePeriod", {}, { endsAt: issueMsg(parsed.error.issues[0]) });
        }
        return closePeriod(c.get("deps").db, c.get("user")!, parsed.data, clientIp(c));
      }),
  ],
};

export default SettlementPeriods;
