import type { Handlers } from "../../../../lib/fs_router.ts";
import { readBodyText } from "../../../../lib/http.ts";
import { receiveWebhook } from "../../../../services/payments.ts";

/** `POST /api/payments/webhook/sandbox`: the provider's signed notification. */
export const handler: Handlers = {
  async POST(c) {
    const raw = await readBodyText(c, 16 * 1024);
    const outcome = await receiveWebhook(c.get("deps").shop, raw, c.req.header("x-sandbox-signature") ?? null);
    return c.json({ received: true, outcome });
  },
};
