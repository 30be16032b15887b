import Big from "big.js";
import { inAxisOrder } from "../domain/catalogue/skus.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { appConfig } from "../fresh.config.ts";
import { findOrder, orderItems, type OrderRow } from "../db/orders_repo.ts";
import { moveStockMany } from "../db/stock_repo.ts";
import { withRetry } from "../db/retry.ts";
import { addPoints } from "../db/shop_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { appendEvent } from "../db/events_repo.ts";
import { money, sum, toMoneyString } from "../domain/money.ts";
import { PricingError, refundForLine } from "../domain/pricing/price_order.ts";
import { pointsToReturn } from "../domain/pricing/points_refund.ts";
import type { OrderStatus } from "../domain/orders/order_state.ts";
import { fail } from "../lib/errors.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import { mergeMoves, stockLevelEvent } from "./order_events.ts";
import { applyOrderEvent, pricingToAppError } from "./orders.ts";
import { runHooks, type Shop } from "./shop.ts";
import { text } from "../lib/text.ts";
import { labelFor, msg, says, storedMessage as timelineNote } from "../i18n/messages.ts";

const id = z.string().regex(/^\d{1,18}$/, says("validation.id"));

/** The body of `POST /api/orders/:id/refunds`. */
export const refundRequestSchema = z.object({
  items: z.array(z.object({ orderItemId: id, quantity: z.number().int().min(1).max(999) })).min(
    1,
    says("refund.err.chooseItem"),
  )
    .max(50),
  reason: text({ multiline: true }).trim().min(1, says("refund.err.tellWhy")).max(500),
  kind: z.enum(["refund_only", "return_refund", "exchange"]).optional().default("refund_only"),
});

/** A refund row. */
export interface RefundRow {
  id: string;
  order_id: string;
  user_id: string;
  kind: "refund_only" | "return_refund" | "exchange";
  status: "requested" | "approved" | "rejected";
  reason: string;
  amount: string;
  shipping_refund: string;
  previous_status: OrderStatus;
  decided_by: string | null;
  decision_note: string | null;
  decided_at: Date | null;
  created_at: Date;
}

/**
 * SQL of the lines of the refund `r` (a JSON array: order item id, name, specs, the product's axes, units,
 * amount); `refundLines` reads it.
 */
export const REFUND_LINES_SQL =
  `(SELECT jsonb_agg(jsonb_build_object('orderItemId', ri.order_item_id::text, 'name', i.name,
          'specs', i.specs, 'axes', p.sku_axes, 'quantity', ri.quantity, 'amount', ri.amount::text) ORDER BY ri.order_item_id)
     FROM refund_items ri JOIN order_items i ON i.id = ri.order_item_id LEFT JOIN products p ON p.id = i.product_id
    WHERE ri.refund_id = r.id)`;

/** A line of an after-sales request: the order line, its name and specs (in axis order), units and amount. */
export interface RefundLine {
  orderItemId: string;
  name: string;
  specs: Record<string, string>;
  quantity: number;
  amount: string;
}

/** The lines `REFUND_LINES_SQL` gave, their specs in the product's axis order. */
export function refundLines(
  raw: (Omit<RefundLine, "specs"> & { specs: Record<string, string>; axes: { name: string }[] | null })[] | null,
): RefundLine[] {
  return (raw ?? []).map(({ axes, specs, ...l }) => ({ ...l, specs: inAxisOrder(specs, axes) }));
}

/** The API's `refund`. */
export async function refundView(db: Db, refund: RefundRow) {
  const [{ lines }] = await db.query<{ lines: Parameters<typeof refundLines>[0] }>(
    `SELECT ${REFUND_LINES_SQL} AS lines FROM refunds r WHERE r.id = $1`,
    [refund.id],
  );
  const items = refundLines(lines);
  return {
    id: String(refund.id),
    orderId: String(refund.order_id),
    kind: refund.kind,
    status: refund.status,
    reason: refund.reason,
    amount: toMoneyString(money(refund.amount).plus(money(refund.shipping_refund))),
    itemsAmount: refund.amount,
    shippingRefund: refund.shipping_refund,
    /** Each line with its name and specs (in the product's axis order). */
    items,
    decisionNote: refund.decision_note,
    decidedAt: refund.decided_at ? new Date(refund.decided_at).toISOString() : null,
    createdAt: new Date(refund.created_at).toISOString(),
  };
}

async function findRefund(db: Db, refundId: string, forUpdate = false): Promise<RefundRow | undefined> {
  if (!/^\d{1,18}$/.test(refundId)) return undefined;
  const rows = await db.query<RefundRow>(`SELECT * FROM refunds WHERE id = $1 ${forUpdate ? "FOR UPDATE" : ""}`, [
    refundId,
  ]);
  return rows[0];
}

/**
 * The buyer asks for a full or partial refund (or a return/exchange) of some lines. Amounts are
 * fixed now from what each line actually paid; shipping comes back only when nothing was
 * shipped and every unit is refunded.
 */
export async function requestRefund(
  shop: Shop,
  orderId: string,
  buyer: UserRow,
  input: z.infer<typeof refundRequestSchema>,
): Promise<RefundRow> {
  return await shop.db.transaction(async (tx) => {
    const order = await findOrder(tx, orderId, true);
    if (!order || String(order.user_id) !== String(buyer.id)) throw fail.notFound("order");
    const windowEnds = order.delivered_at &&
      new Date(order.delivered_at).getTime() + appConfig.shop.returnWindowDays * 86_400_000;
    // The window is half-open: at its end the order completes and its commission may be released.
    if (windowEnds && shop.now().getTime() >= windowEnds) {
      throw fail.as("invalid_transition", "refund.err.windowClosed", { days: appConfig.shop.returnWindowDays });
    }
    const items = await orderItems(tx, orderId);
    const wanted = new Map<string, number>();
    for (const i of input.items) wanted.set(i.orderItemId, (wanted.get(i.orderItemId) ?? 0) + i.quantity);
    const lines: { itemId: string; quantity: number; amount: Big }[] = [];
    try {
      for (const [itemId, quantity] of wanted) {
        const item = items.find((i) => String(i.id) === itemId);
        if (!item) {
          throw fail.invalid("refund.err.unknownLine", {}, { items: msg("refund.err.lineNotInOrder", { id: itemId }) });
        }
        const amount = refundForLine(
          {
            total: money(item.line_total),
            quantity: item.quantity,
            refundedQuantity: item.refunded_quantity,
            refundedAmount: money(item.refunded_amount),
          },
          quantity,
        );
        lines.push({ itemId, quantity, amount });
      }
    } catch (err) {
      if (err instanceof PricingError) throw pricingToAppError(err);
      throw err;
    }
    const everything = items.every((i) => i.quantity - i.refunded_quantity === (wanted.get(String(i.id)) ?? 0));
    const shippingRefund = everything && !order.shipped_at ? money(order.shipping) : new Big(0);
    const previous = order.status;
    await applyOrderEvent(tx, order, "request_refund", {
      actor: "buyer",
      actorId: String(buyer.id),
      note: input.reason,
    });
    const [refund] = await tx.query<RefundRow>(
      `INSERT INTO refunds (order_id, user_id, kind, status, reason, amount, shipping_refund, previous_status)
       VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7) RETURNING *`,
      [
        orderId,
        buyer.id,
        input.kind,
        input.reason,
        toMoneyString(sum(lines.map((l) => l.amount))),
        toMoneyString(shippingRefund),
        previous,
      ],
    );
    for (const l of lines) {
      await tx.query("INSERT INTO refund_items (refund_id, order_item_id, quantity, amount) VALUES ($1, $2, $3, $4)", [
        refund.id,
        l.itemId,
        l.quantity,
        toMoneyString(l.amount),
      ]);
    }
    await appendEvent(
      tx,
      "refund_requested",
      { refundId: String(refund.id), orderId, number: order.number, amount: refund.amount },
      [MANAGERS_ROOM],
    );
    return refund;
  });
}

/**
 * A manager approves a refund, optionally with a note the buyer sees. In one transaction: the money goes back through the payment
 * provider, stock returns, the points the order spent come back in proportion, the order moves
 * to partially refunded or refunded, and the "refund approved" hooks (commission claw-back) run.
 */
export async function approveRefund(
  shop: Shop,
  refundId: string,
  manager: UserRow,
  ip: string | null,
  note: string | null = null,
): Promise<RefundRow> {
  return await withRetry(() =>
    shop.db.transaction(async (tx) => {
      const refund = await findRefund(tx, refundId, true);
      if (!refund) throw fail.notFound("refund");
      if (refund.status !== "requested") {
        throw fail.as("invalid_transition", "refund.err.already", { status: labelFor("refund.status", refund.status) });
      }
      const order = (await findOrder(tx, String(refund.order_id), true))!;
      if (refund.kind === "exchange") return await approveExchange(tx, refund, order, manager, ip, note, shop.now());
      const before = await orderItems(tx, String(order.id));
      const refundItems = await tx.query<{ order_item_id: string; quantity: number; amount: string }>(
        "SELECT order_item_id, quantity, amount FROM refund_items WHERE refund_id = $1",
        [refund.id],
      );
      const [payment] = await tx.query<{ id: string }>(
        "SELECT id FROM payments WHERE order_id = $1 AND status = 'succeeded' ORDER BY created_at LIMIT 1",
        [order.id],
      );
      if (!payment) throw fail.conflict("refund.err.noPayment");
      const total = toMoneyString(money(refund.amount).plus(money(refund.shipping_refund)));
      const providerRefund = await shop.payments.refund({
        paymentId: payment.id,
        amount: total,
        refundKey: `refund_${refund.id}`,
      });
      await tx.query(
        "INSERT INTO provider_refunds (id, payment_id, amount, reason, refund_id) VALUES ($1, $2, $3, 'refund approved', $4)",
        [providerRefund.id, payment.id, total, refund.id],
      );
      const now = shop.now();
      await tx.query(
        "UPDATE refunds SET status = 'approved', decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $1",
        [refund.id, manager.id, now, note],
      );
      await returnSpentPoints(tx, order, before, refundItems);
      await tx.query("UPDATE users SET total_spent = greatest(total_spent - $2, 0) WHERE id = $1", [
        order.user_id,
        total,
      ]);
      const after = await orderItems(tx, String(order.id));
      const fully = after.every((i) => i.refunded_quantity === i.quantity);
      await applyOrderEvent(tx, order, fully ? "refund_fully" : "refund_partially", {
        actor: "manager",
        actorId: String(manager.id),
        note: timelineNote("timeline.refundApproved", { id: refund.id, amount: total }),
      });
      await appendAudit(tx, {
        actorId: String(manager.id),
        action: "refund.approve",
        target: `refund:${refund.id}`,
        ip,
        before: { status: "requested" },
        after: { status: "approved", amount: total, ...(note ? { note } : {}) },
      });
      await appendEvent(tx, "refund_approved", {
        refundId: String(refund.id),
        orderId: String(order.id),
        amount: total,
        ...(note ? { note } : {}),
      }, [
        userRoom(String(order.user_id)),
        MANAGERS_ROOM,
      ]);
      await runHooks(shop, "onRefundApproved", tx, {
        id: String(refund.id),
        order,
        amount: total,
        items: refundItems.map((ri) => ({
          orderItem: before.find((i) => String(i.id) === String(ri.order_item_id))!,
          quantity: ri.quantity,
          amount: ri.amount,
        })),
      });
      // Stock rows last (LOCK_ORDER.md), per SKU. Goods come back to the shelf on a return, or when they never left (refund before shipping);
      // a refund-only request on shipped goods leaves them with the buyer.
      const restock = refund.kind === "return_refund" || !order.shipped_at;
      const changes = (restock ? refundItems : []).map((ri) => ({
        skuId: String(before.find((i) => String(i.id) === String(ri.order_item_id))!.sku_id),
        onHand: ri.quantity,
        reserved: 0,
      }));
      const returned = await moveStockMany(tx, changes, "refund_return", String(order.id), String(manager.id));
      for (const change of mergeMoves(changes)) await stockLevelEvent(tx, change, returned.get(change.skuId)!);
      return (await findRefund(tx, refundId))!;
    }), { name: "approveRefund" });
}

/**
 * Approving an exchange (换货) records the decision and waits for the goods to come back and the
 * replacement to ship: no money moves, no stock changes, no commission is clawed back. The order
 * carries on in the status it had before the request, and its timeline says so.
 */
async function approveExchange(
  tx: Db,
  refund: RefundRow,
  order: OrderRow,
  manager: UserRow,
  ip: string | null,
  note: string | null,
  now: Date,
): Promise<RefundRow> {
  await tx.query(
    "UPDATE refunds SET status = 'approved', decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $1",
    [refund.id, manager.id, now, note],
  );
  await applyOrderEvent(
    tx,
    order,
    "approve_exchange",
    {
      actor: "manager",
      actorId: String(manager.id),
      note: timelineNote("timeline.exchangeApproved", { id: refund.id }),
    },
    {},
    refund.previous_status,
  );
  await appendAudit(tx, {
    actorId: String(manager.id),
    action: "refund.approve",
    target: `refund:${refund.id}`,
    ip,
    before: { status: "requested" },
    after: { status: "approved", kind: "exchange", amount: "0.00", ...(note ? { note } : {}) },
  });
  await appendEvent(
    tx,
    "refund_approved",
    {
      refundId: String(refund.id),
      orderId: String(order.id),
      kind: "exchange",
      amount: "0.00",
      ...(note ? { note } : {}),
    },
    [userRoom(String(order.user_id)), MANAGERS_ROOM],
  );
  return (await findRefund(tx, String(refund.id)))!;
}

/** Points the order spent come back in proportion to the goods refunded (`pointsToReturn`: exact in sum). */
async function returnSpentPoints(
  tx: Db,
  order: OrderRow,
  before: { id: string; line_total: string; refunded_amount: string }[],
  refundItems: { amount: string }[],
) {
  if (order.points_used === 0) return;
  const points = pointsToReturn({
    pointsUsed: order.points_used,
    goods: sum(before.map((i) => money(i.line_total))),
    refundedBefore: sum(before.map((i) => money(i.refunded_amount))),
    refunded: sum(refundItems.map((r) => money(r.amount))),
  });
  if (points > 0) await addPoints(tx, String(order.user_id), points, "spend_return", String(order.id));
}

/** A manager rejects a refund with a reason; the order returns to where it was. */
export async function rejectRefund(shop: Shop, refundId: string, manager: UserRow, note: string, ip: string | null) {
  return await shop.db.transaction(async (tx) => {
    const refund = await findRefund(tx, refundId, true);
    if (!refund) throw fail.notFound("refund");
    if (refund.status !== "requested") {
      throw fail.as("invalid_transition", "refund.err.already", { status: labelFor("refund.status", refund.status) });
    }
    const order = (await findOrder(tx, String(refund.order_id), true))!;
    await tx.query(
      "UPDATE refunds SET status = 'rejected', decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $1",
      [
        refund.id,
        manager.id,
        shop.now(),
        note,
      ],
    );
    await applyOrderEvent(
      tx,
      order,
      "reject_refund",
      { actor: "manager", actorId: String(manager.id), note },
      {},
      refund.previous_status,
    );
    await appendAudit(tx, {
      actorId: String(manager.id),
      action: "refund.reject",
      target: `refund:${refund.id}`,
      ip,
      before: { status: "requested" },
      after: { status: "rejected", note },
    });
    await appendEvent(
      tx,
      "refund_rejected",
      { refundId: String(refund.id), orderId: String(order.id), note },
      [userRoom(String(order.user_id)), MANAGERS_ROOM],
    );
    return (await findRefund(tx, refundId))!;
  });
}

/** Refunds of an order. */
export async function refundsOfOrder(db: Db, orderId: string): Promise<RefundRow[]> {
  return await db.query<RefundRow>("SELECT * FROM refunds WHERE order_id = $1 ORDER BY id", [orderId]);
}
