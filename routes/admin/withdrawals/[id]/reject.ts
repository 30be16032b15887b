import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { msg } from "../../../../i18n/messages.ts";
import { rejectWithdrawal } from "../../../../services/earnings.ts";
import { staffAction } from "../../_action.ts";
import { withdrawalsPage } from "../_page.tsx";

/** `POST /admin/withdrawals/:id/reject` with the reason. */
export const handler: Handlers = {
  POST: [
    requirePermission("withdrawals.approve"),
    (c) =>
      staffAction(c, withdrawalsPage, "/admin/withdrawals", (form) => {
        if (!form.reason?.trim()) {
          throw fail.invalid("validation.giveReason", {}, { reason: msg("validation.required") });
        }
        const reason = form.reason.trim().slice(0, 500);
        return rejectWithdrawal(c.get("deps").db, c.get("user")!, c.req.param("id")!, reason, clientIp(c));
      }),
  ],
};
