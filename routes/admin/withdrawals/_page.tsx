import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { recentlyAuthenticated } from "../../../services/accounts.ts";
import { withdrawalsForReview } from "../../../services/earnings.ts";
import { WithdrawalReview } from "../../../components/WithdrawalReview.tsx";

/** The payout queue, with a refusal's message. */
export async function withdrawalsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const all = c.req.query("status") !== "requested";
  const rows = await withdrawalsForReview(db, { limit: 100, onlyRequested: !all });
  const fresh = await recentlyAuthenticated(db, c.get("sessionToken"));
  const props = { t, path: c.req.path, user: c.get("user"), csrf: c.get("csrf"), message, fresh, rows, all };
  return renderPage(c, <WithdrawalReview {...props} />, { title: t("ops.withdrawals"), status });
}
