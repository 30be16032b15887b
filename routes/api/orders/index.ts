import { getCookie } from "hono/cookie";
import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../lib/http.ts";
import { idempotencyKey } from "../../../lib/idempotency.ts";
import { createOrder, createOrderSchema, orderView } from "../../../services/orders.ts";
import { attributedReferrer } from "../../../services/members.ts";

/** `POST /api/orders` (Idempotency-Key): an order, with its stock reserved. */
export const handler: Handlers = {
  async POST(c) {
    const buyer = requireUser(c);
    const key = idempotencyKey(c);
    const input = await readJson(c, createOrderSchema);
    const shop = c.get("deps").shop;
    const referrer = await attributedReferrer(shop.db, getCookie(c, "ref"), String(buyer.id));
    const { order } = await createOrder(shop, buyer, input, key, referrer);
    return c.json({ order: await orderView(shop.db, order) }, 201);
  },
};
