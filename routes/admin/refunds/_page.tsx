import { z } from "zod";
import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { keepQuery, listQuerySchema, readListQuery } from "../../../lib/list_query.ts";
import { text } from "../../../lib/text.ts";
import { says } from "../../../i18n/messages.ts";
import { REFUND_KINDS, REFUND_SORTS, REFUND_STATUSES, refundList } from "../../../services/order_lists.ts";
import { RefundList } from "../../../components/RefundList.tsx";
import { ordersPage } from "../orders/_page.tsx";

const PAGE_SIZE = 50;
const DEFAULTS = { sort: "created", dir: "desc" } as const;
/** The after-sales list's status, kind, order search, sort and page. */
export const refundQuery = listQuerySchema({
  sorts: REFUND_SORTS,
  ...DEFAULTS,
  filters: {
    status: z.enum(REFUND_STATUSES, says("list.err.status")).optional(),
    kind: z.enum(REFUND_KINDS, says("list.err.kind")).optional(),
    q: text().trim().max(60).optional(),
  },
});

/** The after-sales list, with a refusal's message. */
export async function refundsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const q = readListQuery(c, refundQuery);
  const { rows, total } = await refundList(c.get("deps").db, {
    status: q.status,
    kind: q.kind,
    q: q.q || undefined,
    sort: q.sort,
    dir: q.dir,
    limit: PAGE_SIZE,
    offset: (q.page - 1) * PAGE_SIZE,
  });
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, rows, q };
  const list = { keep: keepQuery(q, DEFAULTS), total, pageSize: PAGE_SIZE };
  return renderPage(c, <RefundList {...props} {...list} />, { title: t("list.refunds"), status });
}

/**
 * The page a refund decision re-renders with its refusal: the after-sales list when the form came from it
 * (its action carries `?from=refunds` and the list's query), otherwise the order list.
 */
export function refundDecisionPage(c: Ctx) {
  return c.req.query("from") === "refunds" ? refundsPage : ordersPage;
}
