import { z } from "zod";
import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { keepQuery, listQuerySchema, readListQuery } from "../../../lib/list_query.ts";
import { text } from "../../../lib/text.ts";
import { says } from "../../../i18n/messages.ts";
import { recentlyAuthenticated } from "../../../services/accounts.ts";
import { WITHDRAWAL_SORTS, withdrawalQueue } from "../../../services/earnings.ts";
import { WithdrawalReview } from "../../../components/WithdrawalReview.tsx";

const PAGE_SIZE = 50;
const DEFAULTS = { sort: "created", dir: "desc" } as const;
/** The payout queue's status, search, sort and page. */
export const withdrawalQuery = listQuerySchema({
  sorts: WITHDRAWAL_SORTS,
  ...DEFAULTS,
  filters: {
    status: z.enum(["requested", "paid", "rejected"], says("list.err.status")).optional(),
    q: text().trim().max(60).optional(),
  },
});

/** The payout queue, with a refusal's message. */
export async function withdrawalsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const q = readListQuery(c, withdrawalQuery);
  const [{ rows, total }, fresh] = await Promise.all([
    withdrawalQueue(db, {
      status: q.status,
      q: q.q || undefined,
      sort: q.sort,
      dir: q.dir,
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
    }),
    recentlyAuthenticated(db, c.get("sessionToken")),
  ]);
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, fresh, rows };
  const list = { q, keep: keepQuery(q, DEFAULTS), total, pageSize: PAGE_SIZE };
  return renderPage(c, <WithdrawalReview {...props} {...list} />, { title: t("ops.withdrawals"), status });
}
