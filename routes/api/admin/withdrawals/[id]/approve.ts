import { z } from "zod";
import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { fail } from "../../../../../lib/errors.ts";
import { msg } from "../../../../../i18n/messages.ts";
import { reauthenticate, recentlyAuthenticated } from "../../../../../services/accounts.ts";
import { approveWithdrawal, withdrawalView } from "../../../../../services/earnings.ts";
import { idParam } from "../../_schemas.ts";

const approveSchema = z.object({ password: z.string().max(200).optional() });

/** `POST /api/admin/withdrawals/:id/approve` `{ password? }`: needs a password entered in the last minutes. */
export const handler: Handlers = {
  POST: [requirePermission("withdrawals.approve"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { password } = await readJson(c, approveSchema);
    const { db } = c.get("deps");
    if (password) await reauthenticate(db, c.get("sessionToken"), requireManager(c), password, clientIp(c));
    else if (!(await recentlyAuthenticated(db, c.get("sessionToken")))) {
      throw fail.as("unauthenticated", "earn.err.reauth", {}, { password: msg("validation.required") });
    }
    const w = await approveWithdrawal(db, requireManager(c), id, clientIp(c));
    return c.json({ withdrawal: withdrawalView(w) });
  }],
};
