import { z } from "zod";
import type { Handlers } from "../../../../lib/fs_router.ts";
import { readQuery } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { withdrawalView } from "../../../../services/earnings.ts";
import { withdrawalsWithNames } from "../../../../services/payouts.ts";

/** `GET /api/admin/withdrawals?status=`: the payout queue. */
export const handler: Handlers = {
  GET: [requirePermission("withdrawals.read"), async (c) => {
    const q = readQuery(c, z.object({ status: z.enum(["requested", "paid", "rejected"]).optional() }));
    const rows = await withdrawalsWithNames(c.get("deps").db, q.status);
    return c.json({
      items: rows.map((w) => ({ ...withdrawalView(w), userId: String(w.user_id), name: w.name })),
      total: rows.length,
    });
  }],
};
