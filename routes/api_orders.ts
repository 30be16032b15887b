import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { readBodyText, readJson, requireUser } from "../lib/http.ts";
import { fail } from "../lib/errors.ts";
import { findUserByReferralCode } from "../db/users_repo.ts";
import {
  cancelOrder,
  confirmReceipt,
  createOrder,
  createOrderSchema,
  orderForViewer,
  orderView,
} from "../services/orders.ts";
import { receiveWebhook, startPayment } from "../services/payments.ts";
import { refundRequestSchema, refundView, requestRefund } from "../services/refunds.ts";
import { maskOrderFor } from "../services/members_admin.ts";

const paySchema = z.object({ method: z.literal("sandbox", 'The only payment method is "sandbox"') });

/** The Idempotency-Key header, required on retryable writes. */
export function idempotencyKey(c: Ctx): string {
  const key = c.req.header("idempotency-key")?.trim();
  if (!key) throw fail.invalid("The Idempotency-Key header is required", { "Idempotency-Key": "Required header" });
  if (key.length > 100) {
    throw fail.invalid("Idempotency-Key is too long", { "Idempotency-Key": "At most 100 characters" });
  }
  return key;
}

/** The member whose referral link brought this visitor (`?ref=` cookie), never the buyer. */
export async function attributedReferrer(c: Ctx, buyerId: string): Promise<string | null> {
  const code = getCookie(c, "ref");
  if (!code) return null;
  const referrer = await findUserByReferralCode(c.get("deps").db, code);
  return referrer && String(referrer.id) !== buyerId ? String(referrer.id) : null;
}

/** Orders, payments and refunds API for buyers, plus the provider's webhook. */
export const apiOrders = new Hono<AppEnv>()
  .post("/orders", async (c) => {
    const buyer = requireUser(c);
    const key = idempotencyKey(c);
    const input = await readJson(c, createOrderSchema);
    const shop = c.get("deps").shop;
    const { order } = await createOrder(shop, buyer, input, key, await attributedReferrer(c, String(buyer.id)));
    return c.json({ order: await orderView(shop.db, order) }, 201);
  })
  .get("/orders/:id", async (c) => {
    const db = c.get("deps").db;
    const viewer = requireUser(c);
    const order = await orderForViewer(db, c.req.param("id"), viewer);
    return c.json({ order: maskOrderFor(viewer, await orderView(db, order, c.get("locale")), String(order.user_id)) });
  })
  .post("/orders/:id/pay", async (c) => {
    const buyer = requireUser(c);
    await readJson(c, paySchema);
    const payment = await startPayment(c.get("deps").shop, c.req.param("id"), buyer);
    return c.json({ payment });
  })
  .post("/orders/:id/cancel", async (c) => {
    const shop = c.get("deps").shop;
    const order = await cancelOrder(shop, c.req.param("id"), requireUser(c));
    return c.json({ order: await orderView(shop.db, order) });
  })
  .post("/orders/:id/confirm-receipt", async (c) => {
    const shop = c.get("deps").shop;
    const order = await confirmReceipt(shop, c.req.param("id"), requireUser(c));
    return c.json({ order: await orderView(shop.db, order) });
  })
  .post("/orders/:id/refunds", async (c) => {
    const buyer = requireUser(c);
    const input = await readJson(c, refundRequestSchema);
    const shop = c.get("deps").shop;
    const refund = await requestRefund(shop, c.req.param("id"), buyer, input);
    return c.json({ refund: await refundView(shop.db, refund) }, 201);
  })
  .post("/payments/webhook/sandbox", async (c) => {
    const raw = await readBodyText(c, 16 * 1024);
    const outcome = await receiveWebhook(c.get("deps").shop, raw, c.req.header("x-sandbox-signature") ?? null);
    return c.json({ received: true, outcome });
  });
