import { inAxisOrder } from "../domain/catalogue/skus.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import {
  findOrder,
  findOrderByKey,
  openOrderAddress,
  orderDetails,
  type OrderItemRow,
  orderItems,
  type OrderRow,
  sealOrderAddress,
  transitionOrder,
} from "../db/orders_repo.ts";
import { moveStockMany, reserveSkus, sellableSkusOf, skuNow, type StockRow } from "../db/stock_repo.ts";
import { addPoints } from "../db/shop_repo.ts";
import { quote } from "./quote.ts";
import type { UserRow } from "../db/users_repo.ts";
import { PricingError } from "../domain/pricing/price_order.ts";
import { type PointsLine, pointsToExpire } from "../domain/pricing/points_expiry.ts";
import {
  fitsFulfilment,
  InvalidTransition,
  nextStatus,
  type OrderEvent,
  type OrderStatus,
} from "../domain/orders/order_state.ts";
import { money, roundDown, toMoneyString } from "../domain/money.ts";
import { AppError, fail, type FieldMessages } from "../lib/errors.ts";
import { appConfig, type Locale } from "../fresh.config.ts";
import { labelFor, msg, renderStored, says, storedMessage } from "../i18n/messages.ts";
import { mergeMoves, orderStatusEvent, shipmentFacts, stockLevelEvent } from "./order_events.ts";
import { runHooks, type Shop } from "./shop.ts";
import { withRetry } from "../db/retry.ts";
import { text } from "../lib/text.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";

const id = z.string().regex(/^\d{1,18}$/, says("validation.id"));

/** A delivery address. */
export const addressSchema = z.object({
  name: text().trim().min(1, says("order.err.name")).max(40),
  phone: z.string().trim().regex(/^\+?[0-9 -]{6,20}$/, says("validation.phone")),
  line1: text().trim().min(1, says("order.err.address")).max(200),
  city: text().trim().min(1, says("order.err.city")).max(60),
  postcode: text().trim().max(12).optional(),
});

/** The body of `POST /api/orders`. */
export const createOrderSchema = z.object({
  items: z.array(z.object({ productId: id, skuId: id.optional(), quantity: z.number().int().min(1).max(999) }))
    .min(1, says("checkout.err.addItem")).max(50),
  couponCode: text().trim().max(40).optional().transform((v) => v || undefined),
  pointsToUse: z.number().int().min(0).max(100_000_000).optional().default(0),
  address: addressSchema,
});

/** Maps a pricing refusal to a 400 naming the field. */
export function pricingToAppError(err: PricingError): AppError {
  const message = { key: `pricing.${err.reason}`, params: err.params } as const;
  return new AppError("invalid_input", message, { [err.field]: message });
}

/** The 409 of a transition that the order's status does not allow. */
export function transitionToAppError(err: InvalidTransition): AppError {
  return new AppError("invalid_transition", msg("order.err.cannot", { status: labelFor("status", err.from) }));
}

function transitionError(err: unknown): never {
  if (err instanceof InvalidTransition) throw transitionToAppError(err);
  throw err;
}

/** Applies an order event (through the state machine) and records the transition. */
export async function applyOrderEvent(
  tx: Db,
  order: OrderRow,
  event: OrderEvent,
  by: { actor: "buyer" | "manager" | "system" | "provider"; actorId?: string | null; note?: string | null },
  extra: Record<string, unknown> = {},
  back?: OrderStatus,
): Promise<OrderStatus> {
  let to: OrderStatus;
  try {
    to = nextStatus(order.status, event, back);
    if (!fitsFulfilment(event, { shipped: !!order.shipped_at, delivered: !!order.delivered_at })) {
      throw new InvalidTransition(order.status, event);
    }
  } catch (err) {
    transitionError(err);
  }
  await transitionOrder(tx, order, to, by, extra);
  await orderStatusEvent(tx, order, to, by.note ?? undefined, shipmentFacts(to, extra));
  return to;
}

/** The contract's `order`. */
export async function orderView(db: Db, order: OrderRow, locale: Locale = appConfig.defaultLocale) {
  const { items, timeline, payment: latest } = await orderDetails(db, String(order.id));
  const payment = latest ? [latest] : [];
  return {
    id: String(order.id),
    number: order.number,
    status: order.status,
    items: items.map((i) => ({
      id: String(i.id),
      productId: String(i.product_id),
      skuId: String(i.sku_id),
      /** The SKU's code (null when the SKU is gone). */
      skuCode: i.sku_code,
      /** In the product's axis order. */
      specs: inAxisOrder(i.specs, i.sku_axes),
      name: i.name,
      quantity: i.quantity,
      listPrice: i.list_price,
      unitPrice: i.unit_price,
      discount: i.discount,
      pointsDiscount: i.points_discount,
      lineTotal: i.line_total,
      refundedQuantity: i.refunded_quantity,
      refundedAmount: toMoneyString(money(i.refunded_amount)),
    })),
    subtotal: order.subtotal,
    discount: order.discount,
    pointsUsed: order.points_used,
    pointsDiscount: order.points_discount,
    shipping: order.shipping,
    total: order.total,
    address: order.address,
    carrier: order.carrier,
    trackingNumber: order.tracking_number,
    expiresAt: new Date(order.expires_at).toISOString(),
    payment: payment[0] ? { id: payment[0].id, status: payment[0].status, amount: payment[0].amount } : null,
    createdAt: new Date(order.created_at).toISOString(),
    timeline: timeline.map((t) => ({
      status: t.status,
      at: new Date(t.at).toISOString(),
      actor: t.actor,
      note: t.note === null ? null : renderStored(locale, t.note),
    })),
  };
}

/** The order view type. */
export type OrderView = Awaited<ReturnType<typeof orderView>>;

/**
 * An order the viewer may see: its buyer or a manager; anyone else gets 404. With `box`, its delivery
 * address is opened (decrypted); without, `address` holds only what is kept in clear.
 */
export async function orderForViewer(db: Db, orderId: string, viewer: UserRow, box?: CryptoBox): Promise<OrderRow> {
  const order = await findOrder(db, orderId);
  if (!order || (String(order.user_id) !== String(viewer.id) && viewer.role !== "manager")) {
    throw fail.notFound("order");
  }
  return box ? { ...order, address: openOrderAddress(box, order) } : order;
}

/** SHA-256 of the canonical (parsed) request body: what an idempotency key promises to repeat. */
export async function requestFingerprint(input: unknown): Promise<string> {
  const canonical = JSON.stringify(
    input,
    (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : v,
  );
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The first order of an idempotency key, refused when the key came with another body. */
function sameRequest(first: OrderRow, fingerprint: string): OrderRow {
  if (first.idempotency_fingerprint && first.idempotency_fingerprint !== fingerprint) {
    throw fail.as("idempotency_mismatch", "checkout.err.keyReused", {}, {
      "Idempotency-Key": msg("err.idempotencyUsed"),
    });
  }
  return first;
}

/**
 * Creates an order in one transaction: reserves stock atomically (never oversells), prices it
 * with the one pricing function, spends points, redeems the coupon, and writes the order, its
 * lines, stock movements, the first timeline entry and its outbox events. Like Stripe, the same
 * idempotency key with the same body returns the first order; with a different body it is 422
 * `idempotency_mismatch`; while the first request is still running it is 409.
 */
export async function createOrder(
  shop: Shop,
  buyer: UserRow,
  input: z.infer<typeof createOrderSchema>,
  idempotencyKey: string,
  referrerId: string | null,
  /** More work of the same moment (a checkout's tail), done inside the order's transaction. */
  andThen?: (tx: Db, order: OrderRow) => Promise<void>,
): Promise<{ order: OrderRow; created: boolean }> {
  const fingerprint = await requestFingerprint(input);
  try {
    return await withRetry(() =>
      shop.db.transaction(async (tx) => {
        // The key's lock (never waited for) tells a retry that the first request is still running.
        const [{ locked }] = await tx.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked",
          [IDEMPOTENCY_LOCK, `${buyer.id}:${idempotencyKey}`],
        );
        if (!locked) {
          throw fail.conflict("checkout.err.keyRunning", {}, { "Idempotency-Key": msg("checkout.err.keyInUse") });
        }
        const first = await findOrderByKey(tx, String(buyer.id), idempotencyKey);
        if (first) return { order: sameRequest(opened(shop, first), fingerprint), created: false };
        const order = await placeOrder(shop, tx, buyer, input, { key: idempotencyKey, fingerprint }, referrerId);
        await andThen?.(tx, order);
        return { order, created: true };
      }), { name: "createOrder" });
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A concurrent request with the same key may have won (unique violation): its order is the answer.
    const first = await findOrderByKey(shop.db, String(buyer.id), idempotencyKey);
    if (first) return { order: sameRequest(opened(shop, first), fingerprint), created: false };
    if (err instanceof PricingError) throw pricingToAppError(err);
    throw err;
  }
}

/** An order with its delivery address opened (the buyer's own answer). */
function opened(shop: Shop, order: OrderRow): OrderRow {
  return { ...order, address: openOrderAddress(shop.box, order) };
}

/** Advisory lock space of idempotency keys in flight (second key: hash of member and key). */
const IDEMPOTENCY_LOCK = 727_010;

async function placeOrder(
  shop: Shop,
  tx: Db,
  buyer: UserRow,
  input: z.infer<typeof createOrderSchema>,
  idempotency: { key: string; fingerprint: string },
  referrerId: string | null,
): Promise<OrderRow> {
  const now = shop.now();
  // Each line names a SKU (or a single-SKU product); repeated SKUs merge. They are read without a lock
  // here and reserved last (LOCK_ORDER.md: stock rows are the last locked), so a hot SKU is held only
  // for the end of the order.
  const productIds = [...new Set(input.items.map((i) => i.productId))].sort((a, b) => Number(a) - Number(b));
  const skusOf = await sellableSkusOf(tx, productIds);
  const chosen = resolveSkus(input.items, skusOf);
  const wanted = new Map<string, { sku: StockRow; quantity: number }>();
  for (const { sku, quantity } of chosen) {
    const key = String(sku.id);
    wanted.set(key, { sku, quantity: (wanted.get(key)?.quantity ?? 0) + quantity });
  }
  const lines = [...wanted.values()].sort((a, b) =>
    Number(a.sku.product_id) - Number(b.sku.product_id) || Number(a.sku.id) - Number(b.sku.id)
  );
  for (const { sku, quantity } of lines) {
    const sellable = sku.stock - sku.reserved;
    if (sellable < quantity) throw outOfStock(String(sku.product_id), skuLabel(sku), sellable);
  }

  // Serialise one member's concurrent orders before reading their points and coupon usage.
  const [member] = await tx.query<{ points_balance: number; level: UserRow["level"]; new_member: boolean }>(
    `SELECT points_balance, level,
            NOT EXISTS (SELECT 1 FROM orders WHERE user_id = $1 AND paid_at IS NOT NULL) AS new_member
       FROM users WHERE id = $1 FOR UPDATE`,
    [buyer.id],
  );
  const { price, couponId, couponClaimed, promotionIds } = await quote(
    tx,
    buyer,
    lines.map(({ sku, quantity }) => ({
      skuId: String(sku.id),
      productId: String(sku.product_id),
      categoryId: String(sku.category_id),
      price: sku.price,
      quantity,
    })),
    { couponCode: input.couponCode, pointsToUse: input.pointsToUse, now, member },
  );
  const expiresAt = new Date(now.getTime() + appConfig.shop.paymentTimeoutMinutes * 60_000);
  // The delivery address is sealed at rest; only the city and the phone's last 4 digits stay in clear.
  const sealed = sealOrderAddress(shop.box, input.address);
  const [stored] = await tx.query<OrderRow>(
    `INSERT INTO orders (user_id, status, subtotal, discount, points_used, points_discount, shipping, total, coupon_id,
                         address, referrer_id, idempotency_key, expires_at, idempotency_fingerprint, address_enc,
                         phone_hash, name_hash)
     VALUES ($1, 'pending_payment', $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11, $12, $13, $14, $15, $16)
     RETURNING *`,
    [
      buyer.id,
      toMoneyString(price.subtotal),
      toMoneyString(price.discount),
      price.pointsUsed,
      toMoneyString(price.pointsDiscount),
      toMoneyString(price.shipping),
      toMoneyString(price.total),
      couponId,
      sealed.clear,
      referrerId,
      idempotency.key,
      expiresAt,
      idempotency.fingerprint,
      sealed.sealed,
      sealed.phoneHash,
      sealed.nameHash,
    ],
  );
  const order: OrderRow = { ...stored, address: JSON.parse(JSON.stringify(input.address)) };
  const orderId = String(order.id);
  // The lines and their stock reservations, in one statement.
  await tx.query(
    `WITH lines AS (
     INSERT INTO order_items (order_id, product_id, sku_id, specs, name, quantity, list_price, unit_price, subtotal,
                              discount, points_discount, line_total, cost_price, promotion_id)
     SELECT $1, l.product_id, l.sku_id, coalesce(l.specs, '{}'::jsonb), l.name, l.quantity, l.list_price, l.unit_price,
            l.subtotal, l.discount, l.points_discount, l.line_total, l.cost_price, l.promotion_id
       FROM jsonb_to_recordset($2::text::jsonb) AS l(product_id bigint, sku_id bigint, specs jsonb, name text,
            quantity int, list_price numeric, unit_price numeric, subtotal numeric, discount numeric,
            points_discount numeric, line_total numeric, cost_price numeric, promotion_id bigint)
     RETURNING product_id, sku_id, quantity)
     INSERT INTO stock_movements (product_id, sku_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
     SELECT product_id, sku_id, 0, quantity, 'reserve', $1, $3 FROM lines ORDER BY sku_id`,
    [
      orderId,
      JSON.stringify(price.lines.map((l) => {
        const product = wanted.get(l.skuId!)!.sku;
        return {
          product_id: l.productId,
          sku_id: l.skuId,
          specs: product.specs ?? {},
          name: product.name,
          quantity: l.quantity,
          list_price: toMoneyString(l.listPrice),
          unit_price: toMoneyString(l.unitPrice),
          subtotal: toMoneyString(l.subtotal),
          discount: toMoneyString(l.discount),
          points_discount: toMoneyString(l.pointsDiscount),
          line_total: toMoneyString(l.total),
          cost_price: product.cost_price,
          promotion_id: l.promotionApplied ? promotionIds.get(l.productId) : null,
        };
      })),
      buyer.id,
    ],
  );
  if (price.pointsUsed > 0) await addPoints(tx, String(buyer.id), -price.pointsUsed, "spend", orderId);
  if (couponId) {
    await tx.query("INSERT INTO coupon_redemptions (coupon_id, user_id, order_id) VALUES ($1, $2, $3)", [
      couponId,
      buyer.id,
      orderId,
    ]);
  }
  if (couponId && couponClaimed) {
    // The buyer's claim of a claimable coupon is used up (given back if this order is cancelled or expires).
    const used = await tx.query(
      `UPDATE coupon_claims SET used_at = $3, order_id = $4
        WHERE coupon_id = $1 AND user_id = $2 AND used_at IS NULL RETURNING id`,
      [couponId, buyer.id, now, orderId],
    );
    if (!used.length) {
      throw fail.invalid("coupons.err.usedAlready", {}, { couponCode: msg("coupons.err.usedAlready") });
    }
  }
  await transitionOrder(tx, { id: orderId, status: null }, "pending_payment", {
    actor: "buyer",
    actorId: String(buyer.id),
  });
  await orderStatusEvent(tx, order, "pending_payment");
  // Last: the reservations, SKUs in id order, at the prices the order was priced at.
  const reserved = await reserveSkus(
    tx,
    lines.map(({ sku, quantity }) => ({ skuId: String(sku.id), quantity, price: sku.price })),
  );
  for (const { sku: priced, quantity } of lines) {
    const skuId = String(priced.id);
    const row = reserved.get(skuId);
    if (!row) {
      const now = await skuNow(tx, skuId);
      if (now && now.live && now.price !== priced.price && now.sellable >= quantity) {
        // The price changed while the order was priced: price it again (the whole use-case reruns).
        throw Object.assign(new Error("the price changed while ordering"), { code: "40001" });
      }
      if (!now?.on_sale || !now.live) {
        throw notForSale(String(priced.product_id));
      }
      throw outOfStock(String(priced.product_id), skuLabel(priced), now.sellable);
    }
    await stockLevelEvent(tx, { onHand: 0, reserved: quantity }, row);
  }
  return order;
}

/** A SKU's name for messages: the product's name and its specs ("T恤 红色/M"). */
export function skuLabel(sku: { name: string; specs: Record<string, string> | null }): string {
  const values = Object.values(sku.specs ?? {});
  return values.length ? `${sku.name} ${values.join("/")}` : sku.name;
}

/**
 * The SKU of each ordered item: the one named, or the product's only SKU. A product with several SKUs
 * needs `skuId` (400 naming the item), as does a SKU that is not the product's or not for sale.
 */
export function resolveSkus(
  items: { productId: string; skuId?: string; quantity: number }[],
  skusOf: Map<string, StockRow[]>,
): { sku: StockRow; quantity: number }[] {
  const fields: FieldMessages = {};
  const out: { sku: StockRow; quantity: number }[] = [];
  items.forEach((item, i) => {
    const skus = skusOf.get(item.productId);
    if (!skus?.length) {
      throw notForSale(item.productId);
    }
    const sku = item.skuId ? skus.find((s) => String(s.id) === item.skuId) : skus.length === 1 ? skus[0] : undefined;
    if (sku) out.push({ sku, quantity: item.quantity });
    else if (item.skuId) {
      fields[`items.${i}.skuId`] = msg("checkout.err.skuNotOnSale", { skuId: item.skuId, productId: item.productId });
    } else fields[`items.${i}.skuId`] = msg("cart.err.chooseOf", { productId: item.productId, n: skus.length });
  });
  if (Object.keys(fields).length) throw fail.invalid("checkout.err.chooseSkus", {}, fields);
  return out;
}

/** 409 out_of_stock naming the product and what is left. */
function outOfStock(productId: string, name: string, sellable: number): AppError {
  const n = Math.max(sellable, 0);
  return fail.as("out_of_stock", "checkout.err.outOfStock", { n, name }, {
    items: msg("checkout.err.productLeft", { productId, n }),
  });
}

/** 400: a product of the order is not for sale. */
function notForSale(productId: string): AppError {
  return fail.invalid("checkout.err.notForSale", {}, { items: msg("checkout.err.productNotForSale", { productId }) });
}

/** Releases an unpaid order's reservations, points and coupon (cancel or expiry). */
async function releaseUnpaid(tx: Db, order: OrderRow, items: OrderItemRow[], actorId: string | null) {
  if (order.points_used > 0) {
    await addPoints(tx, String(order.user_id), order.points_used, "spend_return", String(order.id));
  }
  await tx.query("UPDATE coupon_redemptions SET released = true WHERE order_id = $1", [order.id]);
  // A claimed coupon goes back to its member, usable again.
  await tx.query("UPDATE coupon_claims SET used_at = NULL, order_id = NULL WHERE order_id = $1", [order.id]);
  // Stock rows last (LOCK_ORDER.md).
  const changes = items.map((i) => ({ skuId: String(i.sku_id), onHand: 0, reserved: -i.quantity }));
  const after = await moveStockMany(tx, changes, "release", String(order.id), actorId);
  for (const change of mergeMoves(changes)) await stockLevelEvent(tx, change, after.get(change.skuId)!);
}

/** The buyer cancels an unpaid order; stock, points and coupon are released. */
export async function cancelOrder(shop: Shop, orderId: string, buyer: UserRow): Promise<OrderRow> {
  return await withRetry(() =>
    shop.db.transaction(async (tx) => {
      const order = await findOrder(tx, orderId, true);
      if (!order || String(order.user_id) !== String(buyer.id)) throw fail.notFound("order");
      await applyOrderEvent(tx, order, "cancel", { actor: "buyer", actorId: String(buyer.id) });
      await releaseUnpaid(tx, order, await orderItems(tx, orderId), String(buyer.id));
      return (await findOrder(tx, orderId))!;
    }), { name: "cancelOrder" });
}

/** Cancels unpaid orders past their payment deadline, releasing their stock. Returns how many. */
export async function expireDueOrders(shop: Shop): Promise<number> {
  const due = await shop.db.query<{ id: string }>(
    "SELECT id::text FROM orders WHERE status = 'pending_payment' AND expires_at <= $1 ORDER BY id LIMIT 100",
    [shop.now()],
  );
  let expired = 0;
  // One transaction per order, so its product locks come last (LOCK_ORDER.md) and are held briefly.
  for (const { id } of due) {
    const done = await withRetry(() =>
      shop.db.transaction(async (tx) => {
        const order = await findOrder(tx, id, true);
        if (!order || order.status !== "pending_payment" || new Date(order.expires_at) > shop.now()) return false;
        await applyOrderEvent(tx, order, "expire", { actor: "system", note: storedMessage("timeline.expired") });
        await releaseUnpaid(tx, order, await orderItems(tx, id), null);
        return true;
      }), { name: "expireDueOrders" });
    if (done) expired++;
  }
  return expired;
}

/** The buyer confirms receipt of a shipped order. */
export async function confirmReceipt(shop: Shop, orderId: string, buyer: UserRow): Promise<OrderRow> {
  return await shop.db.transaction(async (tx) => {
    const order = await findOrder(tx, orderId, true);
    if (!order || String(order.user_id) !== String(buyer.id)) throw fail.notFound("order");
    await applyOrderEvent(tx, order, "deliver", { actor: "buyer", actorId: String(buyer.id) }, {
      delivered_at: shop.now(),
    });
    return (await findOrder(tx, orderId))!;
  });
}

/** A manager ships a paid order with carrier and tracking number. */
export async function shipOrder(
  shop: Shop,
  orderId: string,
  manager: UserRow,
  input: { carrier: string; trackingNumber: string },
): Promise<OrderRow> {
  return await shop.db.transaction(async (tx) => {
    const order = await findOrder(tx, orderId, true);
    if (!order) throw fail.notFound("order");
    await applyOrderEvent(tx, order, "ship", {
      actor: "manager",
      actorId: String(manager.id),
      note: `${input.carrier} ${input.trackingNumber}`,
    }, {
      shipped_at: shop.now(),
      carrier: input.carrier,
      tracking_number: input.trackingNumber,
    });
    return (await findOrder(tx, orderId))!;
  });
}

/**
 * Time-driven steps: shipped orders are confirmed after `autoConfirmDays`; delivered orders
 * complete when the return window closes, crediting points and running "completed" hooks.
 */
export async function advanceDueOrders(shop: Shop): Promise<{ delivered: number; completed: number }> {
  const now = shop.now();
  const { autoConfirmDays, returnWindowDays } = appConfig.shop;
  const delivered = await shop.db.transaction(async (tx) => {
    const ids = (await tx.query<{ id: string }>(
      `SELECT id FROM orders WHERE status = 'shipped' AND shipped_at <= $1 ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - autoConfirmDays * 86_400_000)],
    )).map((r) => String(r.id));
    for (const orderId of ids) {
      const order = (await findOrder(tx, orderId))!;
      await applyOrderEvent(tx, order, "deliver", { actor: "system", note: storedMessage("timeline.autoDelivered") }, {
        delivered_at: now,
      });
    }
    return ids.length;
  });
  // One transaction per order: completing one releases its commission, whose ledger locks must not
  // pile up across orders (LOCK_ORDER.md).
  const due = await shop.db.query<{ id: string }>(
    `SELECT id::text FROM orders WHERE status IN ('delivered', 'partially_refunded') AND delivered_at <= $1
      ORDER BY id LIMIT 100`,
    [new Date(now.getTime() - returnWindowDays * 86_400_000)],
  );
  let completed = 0;
  for (const { id } of due) {
    const done = await withRetry(() =>
      shop.db.transaction(async (tx) => {
        const order = await findOrder(tx, id, true);
        if (!order || (order.status !== "delivered" && order.status !== "partially_refunded")) return false;
        await completeOrder(shop, tx, order);
        return true;
      }), { name: "completeOrder" });
    if (done) completed++;
  }
  return { delivered, completed };
}

/** Completes an order: points for what was actually paid, then the "completed" hooks. */
export async function completeOrder(shop: Shop, tx: Db, order: OrderRow): Promise<void> {
  const now = shop.now();
  await applyOrderEvent(tx, order, "complete", { actor: "system", note: storedMessage("timeline.windowClosed") }, {
    completed_at: now,
  });
  const items = await orderItems(tx, String(order.id));
  const [{ kept }] = await tx.query<{ kept: string }>(
    `SELECT (o.total - coalesce((SELECT sum(r.amount + r.shipping_refund) FROM refunds r
                                  WHERE r.order_id = o.id AND r.status = 'approved' AND r.kind <> 'exchange'), 0))::numeric(20,2)::text AS kept
       FROM orders o WHERE o.id = $1`,
    [order.id],
  );
  const points = roundDown(money(kept)).toNumber() * appConfig.shop.pointsPerYuan;
  if (points > 0) {
    await addPoints(
      tx,
      String(order.user_id),
      points,
      "earn",
      String(order.id),
      new Date(now.getTime() + appConfig.shop.pointsExpiryDays * 86_400_000),
    );
  }
  await runHooks(shop, "onCompleted", tx, { ...order, status: "completed" }, items);
}

/**
 * Expires points whose time is up, with a ledger line each. Walks the members who hold expired
 * batches in id order from where the last sweep stopped (a cursor kept in `sweep_cursors`), at
 * most `batches` pages of `batch` members per sweep; a short page ends the pass and the next
 * sweep starts over. So every member is reached, however many there are.
 */
export async function expirePoints(shop: Shop, { batch = 200, batches = 10 } = {}): Promise<number> {
  const now = shop.now();
  let expired = 0;
  const [cursor] = await shop.db.query<{ last_id: string }>(
    "SELECT last_id FROM sweep_cursors WHERE name = 'points_expiry'",
  );
  let after = cursor ? String(cursor.last_id) : "0";
  for (let page = 0; page < batches; page++) {
    const due = await shop.db.query<{ user_id: string }>(
      `SELECT DISTINCT l.user_id FROM points_ledger l JOIN users u ON u.id = l.user_id
        WHERE l.reason = 'earn' AND l.expires_at <= $1 AND u.points_balance > 0 AND l.user_id > $2
        ORDER BY l.user_id LIMIT $3`,
      [now, after, batch],
    );
    expired += await expirePointsOf(shop, due.map((d) => String(d.user_id)), now);
    after = due.length < batch ? "0" : String(due[due.length - 1].user_id);
    await shop.db.query(
      `INSERT INTO sweep_cursors (name, last_id, updated_at) VALUES ('points_expiry', $1, $2)
       ON CONFLICT (name) DO UPDATE SET last_id = EXCLUDED.last_id, updated_at = EXCLUDED.updated_at`,
      [after, now],
    );
    if (after === "0") break;
  }
  return expired;
}

async function expirePointsOf(shop: Shop, userIds: string[], now: Date): Promise<number> {
  let expired = 0;
  for (const user_id of userIds) {
    await shop.db.transaction(async (tx) => {
      await tx.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [user_id]);
      const lines = await tx.query<{ delta: number; reason: PointsLine["reason"]; expires_at: Date | null }>(
        "SELECT delta, reason, expires_at FROM points_ledger WHERE user_id = $1",
        [user_id],
      );
      const n = pointsToExpire(lines.map((l) => ({ delta: l.delta, reason: l.reason, expiresAt: l.expires_at })), now);
      if (n > 0) {
        await addPoints(tx, String(user_id), -n, "expire", null);
        expired += n;
      }
    });
  }
  return expired;
}
