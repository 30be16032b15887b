import type { Handlers } from "../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../lib/http.ts";
import { requireMember } from "../../../lib/guards.ts";
import { AppError } from "../../../lib/errors.ts";
import { requestWithdrawal } from "../../../services/earnings.ts";
import { earningsPage } from "./_page.tsx";

/** `POST /distributor/earnings/withdraw`: the previewed withdrawal, confirmed (once per form). */
export const handler: Handlers = {
  POST: [requireMember(), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(form.amount ?? "") || !form.key) return c.redirect("/distributor/earnings", 303);
    try {
      await requestWithdrawal(c.get("deps").db, c.get("user")!, form.amount, `form:${form.key}`);
      return c.redirect("/distributor/earnings", 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return await earningsPage(c, { errors: err.fields ?? { amount: err.msg }, status: err.status });
      }
      throw err;
    }
  }],
};
