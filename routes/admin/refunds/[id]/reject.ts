import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { msg } from "../../../../i18n/messages.ts";
import { rejectRefund } from "../../../../services/refunds.ts";
import { staffAction } from "../../_action.ts";
import { refundDecisionPage } from "../_page.tsx";

/** `POST /admin/refunds/:id/reject` with the reason. */
export const handler: Handlers = {
  POST: [requirePermission("refunds.decide"), (c) =>
    staffAction(c, refundDecisionPage(c), "/admin/orders", (form) => {
      if (!form.reason?.trim()) throw fail.invalid("validation.giveReason", {}, { reason: msg("validation.required") });
      const reason = form.reason.trim().slice(0, 500);
      return rejectRefund(c.get("deps").shop, c.req.param("id")!, c.get("user")!, reason, clientIp(c));
    })],
};
