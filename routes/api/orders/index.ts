import { getCookie } from "hono/cookie";
import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson, readQuery, requireUser } from "../../../lib/http.ts";
import { idempotencyKey } from "../../../lib/idempotency.ts";
import { createOrder, createOrderSchema, orderView } from "../../../services/orders.ts";
import { attributedReferrer } from "../../../services/members.ts";
import { myOrdersForApi, myOrdersQuerySchema } from "../../../services/order_lists.ts";

/** `GET /api/orders?status=&page=`: the caller's orders, newest first; `POST` (Idempotency-Key): a new order. */
export const handler: Handlers = {
  async GET(c) {
    const buyer = requireUser(c);
    const query = readQuery(c, myOrdersQuerySchema);
    const { db, box } = c.get("deps");
    return c.json(await myOrdersForApi(db, String(buyer.id), query, c.get("locale"), box));
  },
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
