/**
 * The demo history's older days, written quickly: a day's paid orders in a dozen set-based statements
 * instead of some fifty round trips each through the use-cases (embedded PGlite pays about half a
 * millisecond per statement, and the first start has to be healthy within a minute).
 *
 * It writes exactly what placing an order (`createOrder`), its payment (`receiveWebhook` → `markPaid`)
 * and the distribution engine's "paid" moment (`onOrderPaid`) write for an order without coupon, points
 * or flash sale, and computes it with the same domain functions: the price (`priceOrder`, the member's
 * level at the time), the level the spend reaches (`levelForSpend`), commission per line and tier
 * (`computeCommissions`, `isEligible`, the plan in force), the ledger credits (`creditCommission`,
 * `postMany`), the team figures of the buyer and their three uplines, the buyer's visit of the day,
 * the reservation and the sale of every SKU with their stock movements, the payment and its webhook.
 * Rank reviews run once for the day's uplines (`reviewRanks`, the service's own) after the day's team
 * sales, where the use-case reviews after each order; ranks only change rates under a plan with rank
 * rates, which the demo plan has not. Outbox events are not written for these days (no feed shows that
 * far back).
 *
 * The same days' later steps are set-based too, each written as its use-case writes it: shipping
 * (`shipPaidOrders` as `shipOrder`), the buyer's receipt (`confirmShippedOrders` as `confirmReceipt`)
 * and the scheduler's sweep (`sweepOrders` as `advanceDueOrders`, `completeOrder` with its points and
 * `releaseOrderCommissions`). Recent days, after-sales, cancellations, expiry, withdrawals and
 * settlement go through the real use-cases (`services/demo_history.ts`). `tests/demo_bulk_orders_test.ts`
 * and `tests/demo_history_test.ts` check that an order written here and one placed, paid, shipped,
 * received and completed through the use-cases leave the same rows.
 */
import Big from "big.js";
import type { Db } from "../db/db.ts";
import { postMany } from "../db/ledger_repo.ts";
import { sealOrderAddress } from "../db/orders_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { randomToken } from "../lib/tokens.ts";
import { appConfig } from "../fresh.config.ts";
import { money, roundDown, toMoneyString } from "../domain/money.ts";
import { storedMessage } from "../i18n/messages.ts";
import { SHOP_TIME_ZONE, shopDay } from "../domain/shop_time.ts";
import { priceOrder } from "../domain/pricing/price_order.ts";
import { levelForSpend } from "../domain/pricing/member_level.ts";
import { type Beneficiary, computeCommissions } from "../domain/commission/compute.ts";
import { isEligible } from "../domain/commission/eligibility.ts";
import type { Rank } from "../domain/commission/plan.ts";
import { creditCommission, releaseCommission } from "../domain/ledger/postings.ts";
import { memberVisitor } from "./analytics.ts";
import { sealAddress } from "./address_book.ts";
import { currentPlan, ensurePlan, notifyReleased } from "./distribution.ts";
import { requestFingerprint } from "./orders.ts";
import { reviewRanks } from "./programme.ts";
import { pricingSettings } from "./quote.ts";

/** A SKU as the bulk writer prices and records it. */
export interface BulkSku {
  id: string;
  productId: string;
  categoryId: string;
  name: string;
  specs: Record<string, string>;
  price: string;
  costPrice: string;
}

/** One order of the day: who, when it was placed and paid, what, and where to. */
export interface BulkOrder {
  buyerId: string;
  placedAt: Date;
  paidAt: Date;
  lines: { sku: BulkSku; quantity: number }[];
  address: { name: string; phone: string; line1: string; city: string };
  /** The order's idempotency key (unique per buyer). */
  key: string;
  /** The member whose referral link the buyer came through (the order is attributed to them), if any. */
  referrerId?: string | null;
}

interface Member {
  id: string;
  role: UserRow["role"];
  rank: Rank;
  level: UserRow["level"];
  spent: Big;
  erased: boolean;
  monthSales: Big;
  hasAddress: boolean;
  /** Uplines nearest first (tiers 1–3). */
  uplines: string[];
}

/**
 * Writes a day's paid orders set-based (see the module comment) inside the caller's transaction,
 * whose clock stands at the end of the batch. Returns the new orders' ids in the order given.
 */
export async function writePaidOrders(tx: Db, box: CryptoBox, orders: BulkOrder[]): Promise<string[]> {
  if (orders.length === 0) return [];
  // Orders in the order they were placed; each order's lines by product and SKU, as an order sorts them.
  orders = [...orders].sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const sortedLines = (o: BulkOrder) =>
    [...o.lines].sort((a, b) =>
      Number(a.sku.productId) - Number(b.sku.productId) || Number(a.sku.id) - Number(b.sku.id)
    );
  await ensurePlan(tx);
  const plan = await currentPlan(tx);
  const day = shopDay(orders[0].paidAt);

  // The buyers and their uplines as they stand before the day's orders.
  const buyerIds = [...new Set(orders.map((o) => o.buyerId))];
  const rows = await tx.query<{
    id: string;
    buyer: string;
    depth: number;
    role: UserRow["role"];
    rank: Rank;
    level: UserRow["level"];
    total_spent: string;
    erased: boolean;
    month_sales: string;
    has_address: boolean;
  }>(
    `SELECT u.id::text, m.buyer::text, m.depth, u.role, u.rank, u.level, u.total_spent::text, u.erased_at IS NOT NULL AS erased,
            coalesce((SELECT sum(d.sales) FROM team_daily d WHERE d.ancestor_id = u.id AND d.depth = 1
                        AND d.day >= date_trunc('month', $2::date)::date), 0)::numeric(20,2)::text AS month_sales,
            EXISTS (SELECT 1 FROM addresses a WHERE a.user_id = u.id) AS has_address
       FROM (SELECT b AS buyer, b AS id, 0 AS depth FROM unnest($1::bigint[]) AS b
             UNION ALL SELECT rp.descendant_id, rp.ancestor_id, rp.depth FROM referral_paths rp
              WHERE rp.descendant_id = ANY($1::bigint[])) m
       JOIN users u ON u.id = m.id
      ORDER BY m.buyer, m.depth`,
    [`{${buyerIds.join(",")}}`, day],
  );
  const members = new Map<string, Member>();
  for (const r of rows) {
    if (!members.has(r.id)) {
      members.set(r.id, {
        id: r.id,
        role: r.role,
        rank: r.rank,
        level: r.level,
        spent: money(r.total_spent),
        erased: r.erased,
        monthSales: money(r.month_sales),
        hasAddress: r.has_address,
        uplines: [],
      });
    }
    if (r.depth > 0) members.get(r.buyer)!.uplines[r.depth - 1] = r.id;
  }

  // Price, spend, levels and commission, order by order, as the use-cases would in this order.
  const priced: {
    order: BulkOrder;
    lines: BulkOrder["lines"];
    price: ReturnType<typeof priceOrder>;
    chain: { buyer: Beneficiary; uplines: Beneficiary[] };
    firstAddress: boolean;
  }[] = [];
  const levelChanges: { user_id: string; from_level: string; to_level: string; reason: string; at: string }[] = [];
  for (const o of orders) {
    const buyer = members.get(o.buyerId)!;
    const price = priceOrder({
      lines: sortedLines(o).map((l) => ({
        productId: l.sku.productId,
        skuId: l.sku.id,
        categoryId: l.sku.categoryId,
        listPrice: l.sku.price,
        quantity: l.quantity,
        promotion: null,
      })),
      level: buyer.level,
      coupon: null,
      isNewMember: buyer.spent.eq(0),
      pointsToUse: 0,
      pointsBalance: 0,
      now: o.placedAt,
      settings: pricingSettings,
    });
    // What eligibility and the volume bonus see is read before this order's spend and team sales count.
    const asBeneficiary = (m: Member): Beneficiary => ({
      id: m.id,
      rank: m.rank,
      eligible: isEligible(plan, { role: m.role, total_spent: toMoneyString(m.spent), erased: m.erased }),
      monthSales: toMoneyString(m.monthSales),
    });
    const chain = { buyer: asBeneficiary(buyer), uplines: buyer.uplines.map((id) => asBeneficiary(members.get(id)!)) };
    buyer.spent = buyer.spent.plus(price.total);
    const level = levelForSpend(buyer.spent, appConfig.shop.levelThresholds, buyer.level);
    if (level !== buyer.level) {
      levelChanges.push({
        user_id: buyer.id,
        from_level: buyer.level,
        to_level: level,
        reason: `cumulative spend ¥${toMoneyString(buyer.spent)}`,
        at: o.paidAt.toISOString(),
      });
      buyer.level = level;
    }
    const direct = buyer.uplines[0] ? members.get(buyer.uplines[0]) : undefined;
    if (direct) direct.monthSales = direct.monthSales.plus(price.total);
    const firstAddress = !buyer.hasAddress;
    buyer.hasAddress = true;
    priced.push({ order: o, lines: sortedLines(o), price, chain, firstAddress });
  }

  // The orders (already paid), their lines with the reservations and sales of stock, their timeline.
  const payload = await Promise.all(priced.map(async ({ order: o, price }, ord) => {
    const sealed = sealOrderAddress(box, o.address);
    return {
      ord,
      key: o.key,
      user_id: o.buyerId,
      referrer_id: o.referrerId ?? null,
      subtotal: toMoneyString(price.subtotal),
      discount: toMoneyString(price.discount),
      points_discount: toMoneyString(price.pointsDiscount),
      shipping: toMoneyString(price.shipping),
      total: toMoneyString(price.total),
      address: sealed.clear,
      address_enc: sealed.sealed,
      phone_hash: sealed.phoneHash,
      name_hash: sealed.nameHash,
      fingerprint: await requestFingerprint({
        items: o.lines.map((l) => ({ productId: l.sku.productId, skuId: l.sku.id, quantity: l.quantity })),
        pointsToUse: 0,
        address: o.address,
      }),
      created_at: o.placedAt.toISOString(),
      paid_at: o.paidAt.toISOString(),
      expires_at: new Date(o.placedAt.getTime() + appConfig.shop.paymentTimeoutMinutes * 60_000).toISOString(),
    };
  }));
  const inserted = await tx.query<{ id: string; key: string }>(
    `INSERT INTO orders (user_id, status, subtotal, discount, points_used, points_discount, shipping, total, address,
                         idempotency_key, expires_at, idempotency_fingerprint, address_enc, phone_hash, name_hash,
                         created_at, paid_at, referrer_id, number)
     SELECT o.user_id, 'paid', o.subtotal, o.discount, 0, o.points_discount, o.shipping, o.total, o.address::jsonb,
            o.key, o.expires_at, o.fingerprint, o.address_enc, o.phone_hash, o.name_hash, o.created_at, o.paid_at,
            o.referrer_id,
            to_char(o.created_at AT TIME ZONE $2, 'YYYYMMDD') || lpad(nextval('order_number_seq')::text, 8, '0')
       FROM jsonb_to_recordset($1::text::jsonb) AS o(ord int, key text, user_id bigint, subtotal numeric,
            discount numeric, points_discount numeric, shipping numeric, total numeric, address text, address_enc text,
            phone_hash text, name_hash text, fingerprint text, created_at timestamptz, paid_at timestamptz,
            expires_at timestamptz, referrer_id bigint)
      ORDER BY o.ord
     RETURNING id::text, idempotency_key AS key`,
    [JSON.stringify(payload), SHOP_TIME_ZONE],
  );
  const idOf = new Map(inserted.map((r) => [r.key, r.id]));
  const ids = orders.map((o) => idOf.get(o.key)!);

  const lines = priced.flatMap(({ order: o, lines, price }, i) =>
    price.lines.map((l, n) => {
      const sku = lines[n].sku;
      return {
        ord: i * 100 + n,
        order_id: ids[i],
        buyer: o.buyerId,
        product_id: sku.productId,
        sku_id: sku.id,
        specs: sku.specs,
        name: sku.name,
        quantity: l.quantity,
        list_price: toMoneyString(l.listPrice),
        unit_price: toMoneyString(l.unitPrice),
        subtotal: toMoneyString(l.subtotal),
        discount: toMoneyString(l.discount),
        points_discount: toMoneyString(l.pointsDiscount),
        line_total: toMoneyString(l.total),
        cost_price: sku.costPrice,
        placed_at: o.placedAt.toISOString(),
        paid_at: o.paidAt.toISOString(),
      };
    })
  );
  const items = await tx.query<{ id: string; order_id: string; sku_id: string }>(
    `WITH l AS (
       SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS l(ord int, order_id bigint, buyer bigint, product_id bigint,
              sku_id bigint, specs jsonb, name text, quantity int, list_price numeric, unit_price numeric,
              subtotal numeric, discount numeric, points_discount numeric, line_total numeric, cost_price numeric,
              placed_at timestamptz, paid_at timestamptz)),
     items AS (
       INSERT INTO order_items (order_id, product_id, sku_id, specs, name, quantity, list_price, unit_price, subtotal,
                                discount, points_discount, line_total, cost_price)
       SELECT order_id, product_id, sku_id, specs, name, quantity, list_price, unit_price, subtotal, discount,
              points_discount, line_total, cost_price FROM l ORDER BY ord
       RETURNING id, order_id, sku_id),
     reserved AS (
       INSERT INTO stock_movements (product_id, sku_id, on_hand_delta, reserved_delta, reason, order_id, actor_id, at)
       SELECT product_id, sku_id, 0, quantity, 'reserve', order_id, buyer, placed_at FROM l ORDER BY ord),
     sold AS (
       INSERT INTO stock_movements (product_id, sku_id, on_hand_delta, reserved_delta, reason, order_id, actor_id, at)
       SELECT product_id, sku_id, -quantity, -quantity, 'sell', order_id, NULL, paid_at FROM l ORDER BY ord),
     timeline AS (
       INSERT INTO order_transitions (order_id, from_status, to_status, actor, actor_id, note, at)
       SELECT o.order_id, t.from_status, t.to_status, t.actor, CASE WHEN t.actor = 'buyer' THEN o.buyer END, NULL,
              CASE WHEN t.actor = 'buyer' THEN o.placed_at ELSE o.paid_at END
         FROM (SELECT DISTINCT ON (order_id) order_id, buyer, placed_at, paid_at FROM l ORDER BY order_id) o,
              (VALUES (1, NULL, 'pending_payment', 'buyer'), (2, 'pending_payment', 'paid', 'provider'))
                AS t(n, from_status, to_status, actor)
        ORDER BY o.order_id, t.n)
     SELECT id::text, order_id::text, sku_id::text FROM items`,
    [JSON.stringify(lines)],
  );
  // SKUs in id order (products follow by the sums trigger): the units sold leave the shelf.
  await tx.query(
    `WITH m AS (
       SELECT sku_id, sum(quantity)::int AS quantity FROM jsonb_to_recordset($1::text::jsonb) AS x(sku_id bigint, quantity int)
        GROUP BY sku_id)
     UPDATE product_skus s SET stock = s.stock - m.quantity, sales_count = s.sales_count + m.quantity, updated_at = shop_now()
       FROM m WHERE s.id = m.sku_id`,
    [JSON.stringify(lines.map((l) => ({ sku_id: l.sku_id, quantity: l.quantity })))],
  );

  // The payments and their webhooks; the buyers' spend, levels, visits and first addresses.
  await tx.query(
    `WITH p AS (
       SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS p(id text, event text, order_id bigint, amount numeric,
              created_at timestamptz, paid_at timestamptz)),
     payments AS (
       INSERT INTO payments (id, order_id, provider, amount, status, created_at, updated_at)
       SELECT id, order_id, 'sandbox', amount, 'succeeded', created_at, paid_at FROM p RETURNING id)
     INSERT INTO payment_events (event_id, payment_id, status, amount, outcome, received_at)
     SELECT p.event, p.id, 'succeeded', p.amount, 'paid', p.paid_at FROM p JOIN payments x ON x.id = p.id`,
    [JSON.stringify(priced.map(({ order: o, price }, i) => ({
      id: `pay_${randomToken(12)}`,
      event: `evt_${randomToken(9)}`,
      order_id: ids[i],
      amount: toMoneyString(price.total),
      created_at: o.paidAt.toISOString(),
      paid_at: o.paidAt.toISOString(),
    })))],
  );
  const spent = new Map<string, Big>();
  for (const { order: o, price } of priced) {
    spent.set(o.buyerId, (spent.get(o.buyerId) ?? new Big(0)).plus(price.total));
  }
  await tx.query(
    `WITH s AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS s(id bigint, spent numeric, level text))
     UPDATE users u SET total_spent = u.total_spent + s.spent, level = s.level FROM s WHERE u.id = s.id`,
    [JSON.stringify([...spent].map(([id, sum]) => ({ id, spent: toMoneyString(sum), level: members.get(id)!.level })))],
  );
  if (levelChanges.length) {
    await tx.query(
      `INSERT INTO level_changes (user_id, from_level, to_level, reason, at)
       SELECT user_id, from_level, to_level, reason, at FROM jsonb_to_recordset($1::text::jsonb)
           AS c(user_id bigint, from_level text, to_level text, reason text, at timestamptz)`,
      [JSON.stringify(levelChanges)],
    );
  }
  await tx.query(
    `INSERT INTO daily_visitors (day, visitor, first_seen_at)
     SELECT v.day, v.visitor, min(v.at) FROM jsonb_to_recordset($1::text::jsonb) AS v(day date, visitor text, at timestamptz)
      GROUP BY v.day, v.visitor
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(priced.map(({ order: o }) => ({
      day: shopDay(o.paidAt),
      visitor: memberVisitor(o.buyerId),
      at: o.paidAt.toISOString(),
    })))],
  );
  const firstAddresses = priced.filter((p) => p.firstAddress);
  if (firstAddresses.length) {
    await tx.query(
      `INSERT INTO addresses (user_id, data_enc, is_default, created_at, updated_at)
       SELECT user_id, data_enc, true, at, at FROM jsonb_to_recordset($1::text::jsonb) AS a(user_id bigint, data_enc text, at timestamptz)`,
      [JSON.stringify(firstAddresses.map(({ order: o }) => ({
        user_id: o.buyerId,
        data_enc: sealAddress(box, o.address),
        at: o.placedAt.toISOString(),
      })))],
    );
  }

  // The distribution engine's "paid": each order once, team figures, commission lines, ledger credits.
  await tx.query(
    `INSERT INTO distribution_events (kind, ref, at)
     SELECT 'order_paid', x.ref, x.at FROM jsonb_to_recordset($1::text::jsonb) AS x(ref text, at timestamptz)`,
    [JSON.stringify(priced.map(({ order: o }, i) => ({ ref: ids[i], at: o.paidAt.toISOString() })))],
  );
  await tx.query(
    `INSERT INTO team_daily (ancestor_id, depth, day, sales, orders)
     SELECT t.id, t.depth, t.day, sum(t.sales), count(*) FROM jsonb_to_recordset($1::text::jsonb)
         AS t(id bigint, depth int, day date, sales numeric)
      GROUP BY t.id, t.depth, t.day ORDER BY t.depth, t.id
     ON CONFLICT (ancestor_id, day, depth) DO UPDATE SET sales = team_daily.sales + EXCLUDED.sales,
       orders = team_daily.orders + EXCLUDED.orders`,
    [JSON.stringify(
      priced.flatMap(({ order: o, price }) =>
        [o.buyerId, ...members.get(o.buyerId)!.uplines].map((id, depth) => ({
          id,
          depth,
          day: shopDay(o.paidAt),
          sales: toMoneyString(price.total),
        }))
      ),
    )],
  );
  const itemsOf = new Map<string, { id: string; sku_id: string }[]>();
  for (const it of items) itemsOf.set(it.order_id, [...(itemsOf.get(it.order_id) ?? []), it]);
  const commission = priced.flatMap(({ order: o, lines, price, chain }, i) => {
    const orderItems = (itemsOf.get(ids[i]) ?? []).sort((a, b) => Number(a.id) - Number(b.id));
    return computeCommissions(
      plan,
      price.lines.map((l, n) => ({
        orderItemId: orderItems[n].id,
        productId: l.productId,
        categoryId: lines[n].sku.categoryId,
        quantity: l.quantity,
        lineTotal: toMoneyString(l.total),
        unitCost: lines[n].sku.costPrice,
      })),
      chain,
      o.paidAt,
    ).map((line) => ({ line, orderId: ids[i], buyerId: o.buyerId, at: o.paidAt.toISOString() }));
  });
  if (commission.length) {
    const written = await tx.query<{ id: string; order_item_id: string; beneficiary_id: string; tier: number }>(
      `INSERT INTO commission_lines (order_id, order_item_id, beneficiary_id, buyer_id, tier, plan_version, rate, base,
                                     amount, created_at)
       SELECT order_id, order_item_id, beneficiary_id, buyer_id, tier, plan_version, rate, base, amount, created_at
         FROM jsonb_to_recordset($1::text::jsonb) AS l(ord int, order_id bigint, order_item_id bigint, beneficiary_id bigint,
              buyer_id bigint, tier int, plan_version int, rate numeric, base numeric, amount numeric, created_at timestamptz)
        ORDER BY ord
       RETURNING id::text, order_item_id::text, beneficiary_id::text, tier`,
      [JSON.stringify(commission.map(({ line, orderId, buyerId, at }, ord) => ({
        ord,
        order_id: orderId,
        order_item_id: line.orderItemId,
        beneficiary_id: line.beneficiaryId,
        buyer_id: buyerId,
        tier: line.tier,
        plan_version: line.planVersion,
        rate: line.rate.toFixed(6),
        base: toMoneyString(line.base),
        amount: toMoneyString(line.amount),
        created_at: at,
      })))],
    );
    const amountOf = new Map(
      commission.map(({ line }) => [`${line.orderItemId}:${line.beneficiaryId}:${line.tier}`, line.amount]),
    );
    await postMany(
      tx,
      written.map((w) => ({
        kind: "commission",
        ref: `line:${w.id}`,
        postings: creditCommission(w.beneficiary_id, amountOf.get(`${w.order_item_id}:${w.beneficiary_id}:${w.tier}`)!),
      })),
    );
  }
  // The uplines' ranks, reviewed on the day's figures.
  const uplines = [...new Set(orders.flatMap((o) => members.get(o.buyerId)!.uplines))];
  await reviewRanks(
    tx,
    uplines.map((id) => ({ id, rank: members.get(id)!.rank })),
    orders.at(-1)!.paidAt,
    plan.rankRules,
  );
  return ids;
}

/** A shipment of the batch: the order, when it left, with which carrier and tracking number. */
export interface BulkShipment {
  orderId: string;
  at: Date;
  carrier: string;
  trackingNumber: string;
}

/**
 * Ships paid orders as `shipOrder` does (status, carrier, tracking number, the timeline entry by the
 * manager with the carrier as its note), each at its own moment; an order no longer paid is skipped.
 */
export async function shipPaidOrders(tx: Db, manager: UserRow, shipments: BulkShipment[]): Promise<void> {
  if (shipments.length === 0) return;
  await tx.query(
    `WITH s AS (
       SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS s(order_id bigint, at timestamptz, carrier text, tracking text)),
     moved AS (
       UPDATE orders o SET status = 'shipped', shipped_at = s.at, carrier = s.carrier, tracking_number = s.tracking
         FROM s WHERE o.id = s.order_id AND o.status = 'paid'
       RETURNING o.id, s.at, s.carrier, s.tracking)
     INSERT INTO order_transitions (order_id, from_status, to_status, actor, actor_id, note, at)
     SELECT id, 'paid', 'shipped', 'manager', $2, carrier || ' ' || tracking, at FROM moved ORDER BY id`,
    [
      JSON.stringify(shipments.map((s) => ({
        order_id: s.orderId,
        at: s.at.toISOString(),
        carrier: s.carrier,
        tracking: s.trackingNumber,
      }))),
      manager.id,
    ],
  );
}

/** Buyers confirm receipt of shipped orders, each at its moment, as `confirmReceipt` does. */
export async function confirmShippedOrders(tx: Db, receipts: { orderId: string; at: Date }[]): Promise<void> {
  if (receipts.length === 0) return;
  await tx.query(
    `WITH r AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS r(order_id bigint, at timestamptz)),
     moved AS (
       UPDATE orders o SET status = 'delivered', delivered_at = r.at FROM r WHERE o.id = r.order_id AND o.status = 'shipped'
       RETURNING o.id, o.user_id, r.at)
     INSERT INTO order_transitions (order_id, from_status, to_status, actor, actor_id, note, at)
     SELECT id, 'shipped', 'delivered', 'buyer', user_id, NULL, at FROM moved ORDER BY id`,
    [JSON.stringify(receipts.map((r) => ({ order_id: r.orderId, at: r.at.toISOString() })))],
  );
}

/**
 * The scheduler's sweep (`advanceDueOrders`, `completeOrder`, `releaseOrderCommissions`) over some
 * orders at the transaction's clock `now`: shipped orders past the auto-confirm days are received;
 * received ones past the return window complete, the buyer earns points for what was kept, and
 * (when the plan holds commission no longer than the return window) their commission becomes
 * available, with a notification to each beneficiary. Returns the ids of the orders completed.
 */
export async function sweepOrders(tx: Db, orderIds: string[], now: Date): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const { autoConfirmDays, returnWindowDays, pointsPerYuan, pointsExpiryDays } = appConfig.shop;
  const ids = `{${orderIds.join(",")}}`;
  await tx.query(
    `WITH moved AS (
       UPDATE orders SET status = 'delivered', delivered_at = $2
        WHERE id = ANY($1::bigint[]) AND status = 'shipped' AND shipped_at <= $2::timestamptz - make_interval(days => $3)
       RETURNING id)
     INSERT INTO order_transitions (order_id, from_status, to_status, actor, actor_id, note, at)
     SELECT id, 'shipped', 'delivered', 'system', NULL, $4, $2 FROM moved ORDER BY id`,
    [ids, now, autoConfirmDays, storedMessage("timeline.autoDelivered")],
  );
  const completed = await tx.query<{ id: string; user_id: string; kept: string }>(
    `WITH due AS (
       SELECT id, status FROM orders
        WHERE id = ANY($1::bigint[]) AND status IN ('delivered', 'partially_refunded')
          AND delivered_at <= $2::timestamptz - make_interval(days => $3)),
     moved AS (
       UPDATE orders o SET status = 'completed', completed_at = $2 FROM due WHERE o.id = due.id
       RETURNING o.id, o.user_id, o.total, due.status AS from_status),
     timeline AS (
       INSERT INTO order_transitions (order_id, from_status, to_status, actor, actor_id, note, at)
       SELECT id, from_status, 'completed', 'system', NULL, $4, $2 FROM moved ORDER BY id)
     SELECT id::text, user_id::text,
            (total - coalesce((SELECT sum(r.amount + r.shipping_refund) FROM refunds r
                                WHERE r.order_id = moved.id AND r.status = 'approved' AND r.kind <> 'exchange'), 0))
              ::numeric(20,2)::text AS kept
       FROM moved ORDER BY id`,
    [ids, now, returnWindowDays, storedMessage("timeline.windowClosed")],
  );
  if (completed.length === 0) return [];
  // Points for what was paid and kept.
  const earned = completed
    .map((o) => ({ user_id: o.user_id, order_id: o.id, points: roundDown(money(o.kept)).toNumber() * pointsPerYuan }))
    .filter((e) => e.points > 0);
  if (earned.length) {
    await tx.query(
      `WITH e AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS e(user_id bigint, order_id bigint, points int)),
       balances AS (
         UPDATE users u SET points_balance = u.points_balance + t.points
           FROM (SELECT user_id, sum(points)::int AS points FROM e GROUP BY user_id) t WHERE u.id = t.user_id)
       INSERT INTO points_ledger (user_id, delta, reason, order_id, expires_at)
       SELECT user_id, points, 'earn', order_id, $2 FROM e ORDER BY order_id`,
      [JSON.stringify(earned), new Date(now.getTime() + pointsExpiryDays * 86_400_000)],
    );
  }
  // The return window closed: commission becomes available now, unless the plan holds it longer
  // (then the release sweep does it when the hold ends).
  if ((await currentPlan(tx)).holdDays > returnWindowDays) return completed.map((o) => o.id);
  const lines = await tx.query<{ id: string; beneficiary_id: string; number: string; remaining: string }>(
    `WITH fresh AS (
       INSERT INTO distribution_events (kind, ref)
       SELECT 'order_released', unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING ref::bigint AS order_id),
     lines AS (
       SELECT l.id, l.beneficiary_id, (SELECT o.number FROM orders o WHERE o.id = l.order_id) AS number,
              l.amount - coalesce((SELECT sum(r.amount) FROM commission_reversals r WHERE r.commission_line_id = l.id), 0)
                AS remaining
         FROM commission_lines l JOIN fresh f ON f.order_id = l.order_id),
     released AS (INSERT INTO commission_releases (commission_line_id) SELECT id FROM lines ORDER BY id ON CONFLICT DO NOTHING)
     SELECT id::text, beneficiary_id::text, number, remaining::numeric(20,2)::text FROM lines ORDER BY id`,
    [`{${completed.map((o) => o.id).join(",")}}`],
  );
  await postMany(
    tx,
    lines.filter((l) => money(l.remaining).gt(0)).map((l) => ({
      kind: "release",
      ref: `line:${l.id}`,
      postings: releaseCommission(l.beneficiary_id, money(l.remaining)),
    })),
  );
  await notifyReleased(
    tx,
    lines.map((l) => ({ userId: l.beneficiary_id, amount: toMoneyString(money(l.remaining)), number: l.number })),
  );
  return completed.map((o) => o.id);
}
