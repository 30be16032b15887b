import { msg } from "../../../i18n/messages.ts";
import type { Handlers } from "../../../lib/fs_router.ts";
import { requireMember } from "../../../lib/guards.ts";
import { EarningsPage } from "../../../components/EarningsPage.tsx";
import { earningsPage } from "./_page.tsx";

/** `/distributor/earnings?amount=&status=&month=`: earnings, a withdrawal preview, filtered commission lines. */
export const handler: Handlers = {
  GET: [requireMember(), async (c) => {
    const amount = c.req.query("amount") || undefined;
    const status = c.req.query("status");
    const month = c.req.query("month");
    const filter = {
      status: status === "pending" || status === "available" || status === "clawed_back" ? status : undefined,
      month: month && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : undefined,
    } as const;
    if (amount !== undefined && !/^\d{1,12}(\.\d{1,2})?$/.test(amount)) {
      return await earningsPage(c, { errors: { amount: msg("earn.err.amountFormat") }, status: 400 });
    }
    return await earningsPage(c, { amount, filter });
  }],
};

export default EarningsPage;
