import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { fail } from "../../../../lib/errors.ts";
import { reauthenticate, recentlyAuthenticated } from "../../../../services/accounts.ts";
import { approveWithdrawal } from "../../../../services/earnings.ts";
import { staffAction } from "../../_action.ts";
import { withdrawalsPage } from "../_page.tsx";

/** `POST /admin/withdrawals/:id/approve`: needs the password entered lately (or with the form). */
export const handler: Handlers = {
  POST: [
    requirePermission("withdrawals.approve"),
    (c) =>
      staffAction(c, withdrawalsPage, "/admin/withdrawals", async (form) => {
        const db = c.get("deps").db;
        if (form.password) await reauthenticate(db, c.get("sessionToken"), c.get("user")!, form.password, clientIp(c));
        else if (!(await recentlyAuthenticated(db, c.get("sessionToken")))) {
          throw fail.as("unauthenticated", "earn.err.reauth");
        }
        return approveWithdrawal(db, c.get("user")!, c.req.param("id")!, clientIp(c));
      }),
  ],
};
