import { z } from "zod";
import type { Db } from "../db/db.ts";
import { findOrder, orderItems, type OrderRow } from "../db/orders_repo.ts";
import { moveStockMany } from "../db/stock_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { levelForSpend } from "../domain/pricing/member_level.ts";
import { fail } from "../lib/errors.ts";
import { appConfig } from "../fresh.config.ts";
import { applyOrderEvent } from "./orders.ts";
import { orderStatusEvent } from "./order_events.ts";
import { BadSignature } from "./payment_provider.ts";
import { runHooks, type Shop } from "./shop.ts";
import { withRetry } from "../db/retry.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { labelFor, storedMessage } from "../i18n/messages.ts";
import { issuesToFields } from "../lib/validate.ts";

/** The sandbox webhook body of the contract. */
export const webhookSchema = z.object({
  eventId: z.string().regex(/^[\w.:-]{1,100}$/),
  paymentId: z.string().regex(/^[\w.:-]{1,100}$/),
  amount: z.string().regex(/^\d+(\.\d{1,2})?$/, "must be a decimal string"),
  status: z.enum(["succeeded", "failed"]),
});

/** A payment as the API shows it. */
export interface PaymentView {
  id: string;
  status: "pending" | "succeeded" | "failed" | "refunded";
  amount: string;
  checkoutUrl: string;
}

/** Opens (or returns the open) payment for an unpaid order of the buyer. */
export async function startPayment(shop: Shop, orderId: string, buyer: UserRow): Promise<PaymentView> {
  return await withRetry(() =>
    shop.db.transaction(async (tx) => {
      const order = await findOrder(tx, orderId, true);
      if (!order || String(order.user_id) !== String(buyer.id)) throw fail.notFound("order");
      if (order.status !== "pending_payment") {
        throw fail.as("invalid_transition", "order.err.cannotPay", { status: labelFor("status", order.status) });
      }
      const [open] = await tx.query<{ id: string; amount: string }>(
        "SELECT id, amount FROM payments WHERE order_id = $1 AND status = 'pending' AND amount = $2 ORDER BY created_at DESC LIMIT 1",
        [orderId, order.total],
      );
      if (open) return { id: open.id, status: "pending", amount: open.amount, checkoutUrl: `/sandbox/pay/${open.id}` };
      const created = await shop.payments.createPayment({ orderId, amount: order.total });
      await tx.query(
        "INSERT INTO payments (id, order_id, provider, amount, status) VALUES ($1, $2, $3, $4, 'pending')",
        [
          created.id,
          orderId,
          shop.payments.name,
          order.total,
        ],
      );
      return { id: created.id, status: "pending", amount: order.total, checkoutUrl: created.checkoutUrl };
    }), { name: "startPayment" });
}

/**
 * The outcome of a provider notification; every one ends in exactly one of these: applied
 * (`paid`, `failed`), `duplicate` (already applied, or stale), or refunded through the provider
 * (`refunded_late`: money for an order that can no longer be paid).
 */
export type WebhookOutcome = "paid" | "failed" | "duplicate" | "refunded_late";

/**
 * Handles a signed provider webhook in one transaction. A bad signature is 401; a replayed
 * eventId is a no-op; an amount that differs from the payment is 422 and the order stays unpaid.
 * A success applies the payment when the order is still payable (also after an earlier failure
 * of the same payment); money for an order that is no longer payable (paid by another payment,
 * cancelled, expired) is refunded automatically, recorded, audited and shown on the order.
 */
export async function receiveWebhook(shop: Shop, rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  let body: unknown;
  try {
    body = await shop.payments.verifyWebhook(rawBody, signature);
  } catch (err) {
    if (err instanceof BadSignature) throw fail.as("unauthenticated", "order.err.badSignature");
    throw err;
  }
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) throw fail.invalid("order.err.badWebhook", {}, issuesToFields(parsed.error));
  const event = parsed.data;
  return await withRetry(() =>
    shop.db.transaction(async (tx) => {
      const [payment] = await tx.query<PaymentRow & { seen: boolean }>(
        `SELECT id, order_id, amount, status, EXISTS (SELECT 1 FROM payment_events WHERE event_id = $2) AS seen
           FROM payments WHERE id = $1 FOR UPDATE`,
        [event.paymentId, event.eventId],
      );
      if (!payment) throw fail.notFound("payment");
      if (payment.seen) return "duplicate";
      if (!money(event.amount).eq(money(payment.amount))) {
        throw fail.as("amount_mismatch", "order.err.amountMismatch", { paid: event.amount, due: payment.amount });
      }
      const outcome = await applyPaymentEvent(shop, tx, payment, event.status);
      // The payment's new status and the notification, in one statement. `seen` was read with the
      // statement's snapshot, taken before the row lock was granted: a copy of this event that
      // committed meanwhile shows up here instead. Its payment status (read after the lock) already
      // made this run a no-op, so it is a duplicate.
      const recorded = await tx.query(
        `WITH moved AS (UPDATE payments SET status = $6, updated_at = $7 WHERE id = $2 AND $6::text IS NOT NULL)
         INSERT INTO payment_events (event_id, payment_id, status, amount, outcome, received_at)
         VALUES ($1, $2, $3, $4, $5, $7)
         ON CONFLICT (event_id) DO NOTHING RETURNING 1`,
        [event.eventId, payment.id, event.status, event.amount, outcome, PAYMENT_STATUS_AFTER[outcome], shop.now()],
      );
      return recorded.length ? outcome : "duplicate";
    }), { name: "receiveWebhook" });
}

/** The payment's status after each outcome (the caller writes it with the notification). */
const PAYMENT_STATUS_AFTER: Record<WebhookOutcome, PaymentRow["status"] | null> = {
  paid: "succeeded",
  failed: "failed",
  refunded_late: "refunded",
  duplicate: null,
};

interface PaymentRow {
  id: string;
  order_id: string;
  amount: string;
  status: "pending" | "succeeded" | "failed" | "refunded";
}

async function applyPaymentEvent(
  shop: Shop,
  tx: Db,
  payment: PaymentRow,
  status: "succeeded" | "failed",
): Promise<WebhookOutcome> {
  if (status === "failed") {
    // A failure cannot take back money already captured: only a pending payment fails.
    if (payment.status !== "pending") return "duplicate";
    return "failed";
  }
  // The money of this payment was applied or given back already.
  if (payment.status === "succeeded" || payment.status === "refunded") return "duplicate";
  // Pending, or failed earlier and captured after all: apply it if the order can still be paid.
  const order = (await findOrder(tx, String(payment.order_id), true))!;
  if (order.status !== "pending_payment") {
    await refundLatePayment(shop, tx, payment, order);
    return "refunded_late";
  }
  await markPaid(shop, tx, order);
  return "paid";
}

/**
 * Money arrived for an order that can no longer be paid (paid by another payment, cancelled,
 * expired): it goes back through the provider (idempotent by its refund key), and the refund is
 * recorded, audited and shown on the order's timeline to the buyer and the managers.
 */
async function refundLatePayment(shop: Shop, tx: Db, payment: PaymentRow, order: OrderRow): Promise<void> {
  const refundKey = `late_${payment.id}`;
  const reason = order.status === "pending_payment" ? "late payment" : `late payment: order ${order.status}`;
  await shop.payments.refund({ paymentId: payment.id, amount: payment.amount, refundKey });
  await tx.query(
    "INSERT INTO provider_refunds (id, payment_id, amount, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
    [refundKey, payment.id, payment.amount, reason],
  );
  await tx.query(
    "INSERT INTO order_transitions (order_id, from_status, to_status, actor, note) VALUES ($1, $2, $2, 'provider', $3)",
    [
      order.id,
      order.status,
      storedMessage("timeline.latePaymentRefunded", { paymentId: payment.id, amount: payment.amount }),
    ],
  );
  await appendAudit(tx, {
    actorId: null,
    action: "payment.refund_late",
    target: `order:${order.id}`,
    after: { paymentId: payment.id, amount: payment.amount, orderStatus: order.status, refundKey },
  });
  await orderStatusEvent(tx, order, order.status, "late payment refunded");
}

/** Moves an order to paid: reserved stock is sold, spend and level update, "paid" hooks run. */
async function markPaid(shop: Shop, tx: Db, order: OrderRow): Promise<void> {
  const now = shop.now();
  await applyOrderEvent(tx, order, "pay", { actor: "provider" }, { paid_at: now });
  const items = await orderItems(tx, String(order.id));
  const [user] = await tx.query<{ total_spent: string; level: UserRow["level"] }>(
    "UPDATE users SET total_spent = total_spent + $2 WHERE id = $1 RETURNING total_spent, level",
    [order.user_id, order.total],
  );
  const level = levelForSpend(money(user.total_spent), appConfig.shop.levelThresholds, user.level);
  if (level !== user.level) {
    await tx.query("UPDATE users SET level = $2 WHERE id = $1", [order.user_id, level]);
    await tx.query("INSERT INTO level_changes (user_id, from_level, to_level, reason) VALUES ($1, $2, $3, $4)", [
      order.user_id,
      user.level,
      level,
      `cumulative spend ¥${toMoneyString(money(user.total_spent))}`,
    ]);
  }
  await runHooks(shop, "onPaid", tx, { ...order, status: "paid", paid_at: now }, items);
  // Last (LOCK_ORDER.md): the reserved units become sold, so a hot product is locked only at the end.
  await moveStockMany(
    tx,
    items.map((i) => ({
      skuId: String(i.sku_id),
      onHand: -i.quantity,
      reserved: -i.quantity,
      sold: i.quantity,
    })),
    "sell",
    String(order.id),
    null,
  );
}
