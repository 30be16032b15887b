import type { Ctx } from "../../../lib/app_env.ts";
import { renderPortal } from "../../../lib/portal.tsx";
import { localizeErrors } from "../../../lib/render.tsx";
import type { FieldMessages } from "../../../lib/errors.ts";
import { money, toMoneyString } from "../../../domain/money.ts";
import { commissionsOf, earningTotals, previewWithdrawal } from "../../../services/earnings.ts";
import { statementsOf } from "../../../services/settlement.ts";
import { withdrawalsOf } from "../../../services/payouts.ts";
import { lastEventId } from "../../../services/live.ts";
import { EarningsPage, type EarningsProps } from "../../../components/EarningsPage.tsx";

/** The earnings page, with a withdrawal preview for `amount`, or the withdrawal form's errors. */
export async function earningsPage(
  c: Ctx,
  options: EarningsProps["options"] & { errors?: FieldMessages; status?: number } = {},
) {
  const t = c.get("t");
  const user = c.get("user")!;
  const db = c.get("deps").db;
  const id = String(user.id);
  const eventId = await lastEventId(db);
  const [lines, totals, withdrawals, statements] = await Promise.all([
    commissionsOf(db, id, { page: 1, pageSize: 50, ...options.filter }),
    earningTotals(db, id),
    withdrawalsOf(db, id, 20),
    statementsOf(db, id),
  ]);
  const errors = localizeErrors(c, options.errors ?? {});
  let preview: EarningsProps["preview"] = null;
  if (options.amount && !options.errors) {
    const q = (await previewWithdrawal(db, id, money(options.amount))).quote;
    preview = {
      amount: toMoneyString(q.amount),
      fee: toMoneyString(q.fee),
      tax: toMoneyString(q.tax),
      net: toMoneyString(q.net),
    };
  }
  const props = { t, csrf: c.get("csrf"), totals, lines, withdrawals, statements, errors, preview, options };
  return renderPortal(c, <EarningsPage {...props} lastEventId={eventId} />, t("earn.title"), options.status);
}
