import { z } from "zod";
import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { msg } from "../../../../i18n/messages.ts";
import { shipOrder } from "../../../../services/orders.ts";
import { staffAction } from "../../_action.ts";
import { ordersPage } from "../_page.tsx";
import { text } from "../../../../lib/text.ts";

/** `POST /admin/orders/:id/ship`: carrier and tracking number. */
export const handler: Handlers = {
  POST: [requirePermission("orders.ship"), (c) =>
    staffAction(c, ordersPage, "/admin/orders", (form) => {
      const parsed = z.object({
        carrier: text().trim().min(1).max(60),
        trackingNumber: text().trim().min(4).max(60),
      }).safeParse(form);
      if (!parsed.success) throw fail.invalid("ord.err.shipInfo", {}, { trackingNumber: msg("validation.required") });
      return shipOrder(c.get("deps").shop, c.req.param("id")!, c.get("user")!, parsed.data);
    })],
};
