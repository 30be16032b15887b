import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { recentlyAuthenticated } from "../../../services/accounts.ts";
import { withdrawalsForReview } from "../../../services/earnings.ts";
import { WithdrawalReview } from "../../../components/WithdrawalReview.tsx";

/** The payout queue, with a refusal's message. */
export async function withdrawalsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const rows = await withdrawalsForReview(db, { limit: 100 });
  const fresh = await recentlyAuthenticated(db, c.get("sessionToken"));
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, fresh, rows };
  return renderPage(c, <WithdrawalReview {...props} />, { title: t("ops.withdrawals"), status });
}
