import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../lib/http.ts";
import { idempotencyKey } from "../../../lib/idempotency.ts";
import { requestWithdrawal, withdrawalSchema, withdrawalView } from "../../../services/earnings.ts";
import { withdrawalsOf } from "../../../services/payouts.ts";

/** `GET /api/me/withdrawals` (newest first) and `POST` a withdrawal (Idempotency-Key). */
export const handler: Handlers = {
  async GET(c) {
    const rows = await withdrawalsOf(c.get("deps").db, requireUser(c).id, 100);
    return c.json({ items: rows.map(withdrawalView), total: rows.length });
  },
  async POST(c) {
    const user = requireUser(c);
    const key = idempotencyKey(c);
    const { amount } = await readJson(c, withdrawalSchema);
    const w = await requestWithdrawal(c.get("deps").db, user, amount, key);
    return c.json({ withdrawal: withdrawalView(w) }, 201);
  },
};
