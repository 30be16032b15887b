import type { Handlers } from "../../../../lib/fs_router.ts";
import { fail } from "../../../../lib/errors.ts";
import { receiveWebhook } from "../../../../services/payments.ts";

/** `POST /api/payments/webhook/sandbox`: the provider's signed notification. */
export const handler: Handlers = {
  async POST(c) {
    const raw = await c.req.text();
    if (raw.length > 16 * 1024) throw fail.invalid("Webhook body is too large", { body: "At most 16 KiB" });
    const outcome = await receiveWebhook(c.get("deps").shop, raw, c.req.header("x-sandbox-signature") ?? null);
    return c.json({ received: true, outcome });
  },
};
