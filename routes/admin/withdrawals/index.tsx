import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { WithdrawalReview } from "../../../components/WithdrawalReview.tsx";
import { withdrawalsPage } from "./_page.tsx";

/** `/admin/withdrawals`: the payout queue. */
export const handler: Handlers = {
  GET: [requirePermission("withdrawals.read"), (c) => withdrawalsPage(c)],
};

export default WithdrawalReview;
