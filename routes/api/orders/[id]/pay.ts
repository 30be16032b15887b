import { z } from "zod";
import type { Handlers } from "../../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../../lib/http.ts";
import { startPayment } from "../../../../services/payments.ts";

const paySchema = z.object({ method: z.literal("sandbox", 'The only payment method is "sandbox"') });

/** `POST /api/orders/:id/pay` `{ method: "sandbox" }`: a pending payment. */
export const handler: Handlers = {
  async POST(c) {
    const buyer = requireUser(c);
    await readJson(c, paySchema);
    const payment = await startPayment(c.get("deps").shop, c.req.param("id")!, buyer);
    return c.json({ payment });
  },
};
