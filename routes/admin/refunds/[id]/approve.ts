import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { msg } from "../../../../i18n/messages.ts";
import { approveRefund } from "../../../../services/refunds.ts";
import { staffAction } from "../../_action.ts";
import { refundDecisionPage } from "../_page.tsx";

/** `POST /admin/refunds/:id/approve` with an optional note for the buyer. */
export const handler: Handlers = {
  POST: [requirePermission("refunds.decide"), (c) =>
    staffAction(c, refundDecisionPage(c), "/admin/orders", (form) => {
      const note = (form.note ?? "").trim();
      if (note.length > 500) throw fail.invalid("refund.err.noteTooLong", {}, { note: msg("validation.tooLong") });
      return approveRefund(c.get("deps").shop, c.req.param("id")!, c.get("user")!, clientIp(c), note || null);
    })],
};
