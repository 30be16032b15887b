import Big from "big.js";
import { TIERS } from "../domain/referral.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { labelFor, type Msg, msg, storedMessage } from "../i18n/messages.ts";
import type { OrderItemRow, OrderRow } from "../db/orders_repo.ts";
import { postMany } from "../db/ledger_repo.ts";
import { withRetry } from "../db/retry.ts";
import { appendEvents } from "../db/events_repo.ts";
import type { NewEvent } from "../realtime/events.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { type Beneficiary, clawback, computeCommissions } from "../domain/commission/compute.ts";
import {
  checkCompliance,
  type CommissionPlan,
  type ComplianceCheck,
  DEFAULT_PLAN,
  type Rank,
  RANKS,
} from "../domain/commission/plan.ts";
import { planInputFields, type PlanPublishInput } from "../domain/commission/plan_input.ts";
import { isEligible } from "../domain/commission/eligibility.ts";
import { creditCommission, releaseCommission, reverseCommission } from "../domain/ledger/postings.ts";
import { money, sum, toMoneyString } from "../domain/money.ts";
import { reversedBase } from "../domain/analytics/figures.ts";
import { fail } from "../lib/errors.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import { appConfig } from "../fresh.config.ts";
import type { ApprovedRefund, OrderHooks } from "./order_hooks.ts";
import { reviewRanks } from "./programme.ts";
import { countBuyerVisit } from "./analytics.ts";
import { visibleName } from "../domain/privacy.ts";
import { shopDay } from "../domain/shop_time.ts";

/** The body of `PUT /api/admin/commission-plan` without `baseVersion` (the plan editor checks drafts with the same fields). */
export const planInputSchema = z.object(planInputFields);

/**
 * The body of publishing: the plan input plus an optional `baseVersion`, the version the editor
 * started from. When given and no longer in force, the publish is refused as a conflict.
 */
export const planPublishSchema = planInputSchema.extend({ baseVersion: z.optional(z.number().int().min(1)) });

/** The plan in force: the newest version (the default plan is version 1). */
export async function currentPlan(db: Db): Promise<CommissionPlan> {
  const [row] = await db.query<{ version: number; plan: CommissionPlan }>(
    "SELECT version, plan FROM commission_plans ORDER BY version DESC LIMIT 1",
  );
  return planOf(row);
}

/** A stored plan version as the plan in force (the default plan when there is none). */
function planOf(row: { version: number | null; plan: CommissionPlan | null } | undefined): CommissionPlan {
  if (!row?.plan || row.version === null) return DEFAULT_PLAN;
  return { ...DEFAULT_PLAN, ...row.plan, version: row.version };
}

/** Makes sure version 1 (the default plan) exists, so commission lines can refer to it. */
export async function ensurePlan(db: Db): Promise<void> {
  await db.query(
    "INSERT INTO commission_plans (version, plan) VALUES (1, $1::text::jsonb) ON CONFLICT (version) DO NOTHING",
    [
      JSON.stringify(DEFAULT_PLAN),
    ],
  );
}

/** Why a compliance check failed, as a message (the plan editor words it the same way). */
export function complianceReason(check: ComplianceCheck): Msg {
  const set = check.set ?? { kind: "plan" };
  const setMsg = set.kind === "plan"
    ? msg("plan.set.plan")
    : set.kind === "rank"
    ? msg("plan.set.rank", { rank: isRank(set.ref) ? labelFor("rank", set.ref) : set.ref ?? "" })
    : msg(`plan.set.${set.kind}`, { ref: set.ref ?? "" });
  return { key: `plan.check.${check.id}.reason`, params: { ...check.params, set: setMsg } };
}

function isRank(value: string | undefined): value is Rank {
  return (RANKS as readonly (string | undefined)[]).includes(value);
}

/**
 * Publishes a new plan version after the compliance guard. A violation is 422 with the reasons,
 * and the plan in force stays. With `baseVersion`, a plan changed by someone else in the meantime
 * is 409 conflict and nothing changes. Old commission lines keep the version they were computed with.
 */
export async function publishPlan(db: Db, actor: UserRow, input: PlanPublishInput, ip: string | null) {
  const { baseVersion, ...changes } = input;
  return await db.transaction(async (tx) => {
    await tx.query("LOCK TABLE commission_plans IN EXCLUSIVE MODE");
    await ensurePlan(tx);
    const before = await currentPlan(tx);
    if (baseVersion !== undefined && baseVersion !== before.version) {
      throw fail.conflict("plan.err.changed", { edited: baseVersion, current: before.version }, {
        baseVersion: msg("plan.err.inForce", { current: before.version }),
      });
    }
    const plan: CommissionPlan = { ...before, ...changes, version: before.version + 1 } as CommissionPlan;
    const violations = checkCompliance(plan, appConfig.shop).filter((c) => !c.passed).map(complianceReason);
    if (violations.length) {
      throw fail.as("compliance_violation", "plan.err.compliance", { reasons: violations }, {
        plan: msg("plan.err.reasons", { reasons: violations }),
      });
    }
    await tx.query("INSERT INTO commission_plans (version, plan, created_by) VALUES ($1, $2::text::jsonb, $3)", [
      plan.version,
      JSON.stringify(plan),
      actor.id,
    ]);
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "plan.change",
      target: `plan:${plan.version}`,
      ip,
      before,
      after: plan,
    });
    return plan;
  });
}

/** Runs `fn` once per business event (kind, ref); a repeat does nothing and returns false. */
/**
 * `once` for a business event that needs the plan in force: marks the event and reads the plan in
 * one round trip; a repeat does nothing and returns false.
 */
async function onceWithPlan(
  tx: Db,
  kind: string,
  ref: string,
  fn: (plan: CommissionPlan) => Promise<void>,
): Promise<boolean> {
  const [row] = await tx.query<{ fresh: boolean; version: number | null; plan: CommissionPlan | null }>(
    `WITH fresh AS (INSERT INTO distribution_events (kind, ref) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, p.version, p.plan
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT version, plan FROM commission_plans ORDER BY version DESC LIMIT 1) p ON true`,
    [kind, ref],
  );
  if (!row.fresh) return false;
  await fn(planOf(row));
  return true;
}

async function once(tx: Db, kind: string, ref: string, fn: () => Promise<void>): Promise<boolean> {
  const [row] = await tx.query(
    "INSERT INTO distribution_events (kind, ref) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING kind",
    [
      kind,
      ref,
    ],
  );
  if (!row) return false;
  await fn();
  return true;
}

interface ChainMember {
  id: string;
  name: string;
  role: string;
  rank: Rank;
  total_spent: string;
  /** Their personal data was erased: they earn nothing more. */
  erased: boolean;
  depth: number;
  month_sales: string;
  /** The buyer's row only: paid orders so far and today, and `[productId, categoryId]` of the order's products. */
  paid_orders: number;
  paid_today: number;
  categories: [string, string][];
}

/**
 * The buyer and their three uplines (nearest first) with what commission needs of them, in one
 * read; the buyer's row also carries their paid-order counts and the categories of `productIds`.
 */
async function chainOf(
  tx: Db,
  buyerId: string,
  day: string,
  buyerFigures: { productIds: string[]; at: Date } = { productIds: [], at: new Date(0) },
): Promise<ChainMember[]> {
  return await tx.query<ChainMember>(
    `SELECT u.id, u.name, u.role, u.rank, u.total_spent, u.erased_at IS NOT NULL AS erased, m.depth,
            coalesce((SELECT sum(d.sales) FROM team_daily d WHERE d.ancestor_id = u.id AND d.depth = 1
                        AND d.day >= date_trunc('month', $2::date)::date), 0)::numeric(20,2)::text AS month_sales,
            CASE WHEN m.depth = 0 THEN (SELECT count(*) FROM orders o WHERE o.user_id = u.id AND o.paid_at IS NOT NULL)
                 ELSE 0 END::int AS paid_orders,
            CASE WHEN m.depth = 0 THEN (SELECT count(*) FROM orders o WHERE o.user_id = u.id AND o.paid_at IS NOT NULL
                   AND o.paid_at >= date_trunc('day', $5::timestamptz AT TIME ZONE $4) AT TIME ZONE $4)
                 ELSE 0 END::int AS paid_today,
            CASE WHEN m.depth = 0 THEN coalesce((SELECT jsonb_agg(jsonb_build_array(p.id::text, p.category_id::text))
                   FROM products p WHERE p.id = ANY(string_to_array($3, ',')::bigint[])), '[]'::jsonb)
                 ELSE '[]'::jsonb END AS categories
       FROM (SELECT $1::bigint AS id, 0 AS depth
             UNION ALL SELECT ancestor_id, depth FROM referral_paths WHERE descendant_id = $1) m
       JOIN users u ON u.id = m.id
      ORDER BY m.depth`,
    [buyerId, day, buyerFigures.productIds.join(","), appConfig.timeZone, buyerFigures.at],
  );
}

/** A member of an order's chain as commission sees them: rank, eligibility under the plan, month sales. */
function beneficiaryOf(plan: CommissionPlan, m: ChainMember): Beneficiary {
  return { id: String(m.id), rank: m.rank, eligible: isEligible(plan, m), monthSales: m.month_sales };
}

/**
 * A member as commission would see them in an order paid now (read as the order path reads them), or
 * undefined for an unknown member: what the product page's "分享赚" is computed for.
 */
export async function beneficiaryNow(
  db: Db,
  plan: CommissionPlan,
  userId: string,
  now: Date,
): Promise<Beneficiary | undefined> {
  const me = (await chainOf(db, userId, shopDay(now), { productIds: [], at: now })).find((m) => m.depth === 0);
  return me ? beneficiaryOf(plan, me) : undefined;
}

/**
 * Adds sales (negative for refunds) to the buyer's own and their uplines' team figures for a day,
 * in one statement, rows in chain order (the lock order).
 */
async function addTeamSales(tx: Db, chain: ChainMember[], day: string, sales: Big, orders: number) {
  await tx.query(
    `INSERT INTO team_daily (ancestor_id, depth, day, sales, orders)
     SELECT c.id, c.depth, $2::date, $3::numeric, $4 FROM jsonb_to_recordset($1::text::jsonb) AS c(id bigint, depth int)
      ORDER BY c.depth
     ON CONFLICT (ancestor_id, day, depth) DO UPDATE SET sales = team_daily.sales + EXCLUDED.sales,
       orders = team_daily.orders + EXCLUDED.orders`,
    [JSON.stringify(chain.map((m) => ({ id: m.id, depth: m.depth }))), day, toMoneyString(sales), orders],
  );
}

/**
 * Credits an order's commissions as pending, updates team figures, and writes sale/commission
 * events, with set-based writes in the lock order of LOCK_ORDER.md: team figures, upline ranks,
 * commission lines, ledger accounts; the events last.
 */
export async function onOrderPaid(tx: Db, order: OrderRow, items: OrderItemRow[], now: Date): Promise<void> {
  await onceWithPlan(tx, "order_paid", String(order.id), async (plan) => {
    if (plan === DEFAULT_PLAN) await ensurePlan(tx); // commission lines refer to the version row
    const day = shopDay(order.paid_at ?? now);
    const chain = await chainOf(tx, String(order.user_id), day, {
      productIds: items.map((i) => String(i.product_id)),
      at: order.paid_at ?? now,
    });
    const buyer = chain.find((m) => m.depth === 0)!;
    const uplines = chain.filter((m) => m.depth > 0);
    const asBeneficiary = (m: ChainMember) => beneficiaryOf(plan, m);
    const categories = new Map(buyer.categories.map(([productId, categoryId]) => [productId, categoryId]));
    const lines = computeCommissions(
      plan,
      items.map((i) => ({
        orderItemId: String(i.id),
        productId: String(i.product_id),
        categoryId: categories.get(String(i.product_id)) ?? "",
        quantity: i.quantity,
        lineTotal: i.line_total,
        unitCost: i.cost_price,
      })),
      { buyer: asBeneficiary(buyer), uplines: uplines.map(asBeneficiary) },
      now,
    );
    await addTeamSales(tx, chain, day, money(order.total), 1);
    await reviewRanks(tx, uplines.map((m) => ({ id: String(m.id), rank: m.rank })), now, plan.rankRules);
    const written = lines.length
      ? await tx.query<{ id: string; order_item_id: string; beneficiary_id: string; tier: number }>(
        `INSERT INTO commission_lines (order_id, order_item_id, beneficiary_id, buyer_id, tier, plan_version, rate, base, amount)
         SELECT $1, l.order_item_id, l.beneficiary_id, $2, l.tier, l.plan_version, l.rate, l.base, l.amount
           FROM jsonb_to_recordset($3::text::jsonb) AS l(order_item_id bigint, beneficiary_id bigint, tier int,
                plan_version int, rate numeric, base numeric, amount numeric, ord int)
          ORDER BY l.ord
         ON CONFLICT (order_item_id, beneficiary_id, tier) DO NOTHING
         RETURNING id::text, order_item_id::text, beneficiary_id::text, tier`,
        [
          order.id,
          order.user_id,
          JSON.stringify(lines.map((line, ord) => ({
            order_item_id: line.orderItemId,
            beneficiary_id: line.beneficiaryId,
            tier: line.tier,
            plan_version: line.planVersion,
            rate: line.rate.toFixed(6),
            base: toMoneyString(line.base),
            amount: toMoneyString(line.amount),
            ord,
          }))),
        ],
      )
      : [];
    const lineOf = (w: { order_item_id: string; beneficiary_id: string; tier: number }) =>
      lines.find((l) =>
        l.orderItemId === w.order_item_id && l.beneficiaryId === w.beneficiary_id && l.tier === Number(w.tier)
      )!;
    await postMany(
      tx,
      written.map((w) => ({
        kind: "commission",
        ref: `line:${w.id}`,
        postings: creditCommission(w.beneficiary_id, lineOf(w).amount),
      })),
    );
    const events: NewEvent[] = written.map((w) => {
      const line = lineOf(w);
      return {
        type: "commission",
        rooms: [userRoom(line.beneficiaryId)],
        data: {
          lineId: w.id,
          orderId: String(order.id),
          tier: line.tier,
          rate: line.rate.toFixed(4),
          base: toMoneyString(line.base),
          amount: toMoneyString(line.amount),
          status: "pending",
          planVersion: line.planVersion,
        },
      };
    });
    for (const m of uplines) {
      events.push({
        type: "sale",
        rooms: [userRoom(String(m.id))],
        data: {
          orderId: String(order.id),
          tier: m.depth,
          amount: order.total,
          buyer: visibleName(buyer.name, m.depth),
          commission: toMoneyString(
            lines.filter((l) => l.beneficiaryId === String(m.id)).reduce((s, l) => s.plus(l.amount), new Big(0)),
          ),
          day,
        },
      });
    }
    const tier1 = lines.filter((l) => l.tier === 1);
    const introducer = chain.find((m) => String(m.id) === tier1[0]?.beneficiaryId);
    events.push({
      type: "shop_sale",
      rooms: [MANAGERS_ROOM],
      data: {
        orderId: String(order.id),
        amount: order.total,
        // The buyer's paid orders so far (this one included): the live repurchase rate, LTV and conversion.
        // markPaid updated the buyer's row first, so one buyer's payments count here one after another.
        buyerPaidOrders: buyer.paid_orders,
        buyerPaidToday: buyer.paid_today,
        newVisitor: await countBuyerVisit(tx, String(order.user_id), day),
        tier1: tier1.length && introducer
          ? {
            id: String(introducer.id),
            name: introducer.name,
            base: toMoneyString(tier1.reduce((s, l) => s.plus(l.base), new Big(0))),
            amount: toMoneyString(tier1.reduce((s, l) => s.plus(l.amount), new Big(0))),
          }
          : null,
        commission: toMoneyString(lines.reduce((s, l) => s.plus(l.amount), new Big(0))),
        commissionByTier: TIERS.map((tier) =>
          toMoneyString(lines.filter((l) => l.tier === tier).reduce((s, l) => s.plus(l.amount), new Big(0)))
        ),
        items: items.map((i) => ({
          productId: String(i.product_id),
          name: i.name,
          quantity: i.quantity,
          lineTotal: i.line_total,
        })),
        day,
      },
    });
    await appendEvents(tx, events);
  });
}

/** Moves an order's remaining pending commission to available (return window closed or hold over). */
export async function releaseOrderCommissions(tx: Db, orderId: string): Promise<void> {
  // The order row serialises a release with a refund of the same order.
  const [order] = await tx.query<{ number: string }>("SELECT number FROM orders WHERE id = $1 FOR UPDATE", [orderId]);
  await once(tx, "order_released", orderId, async () => {
    const lines = (await tx.query<{ id: string; beneficiary_id: string; amount: string; reversed: string }>(
      `SELECT l.id::text, l.beneficiary_id::text, l.amount,
              coalesce((SELECT sum(r.amount) FROM commission_reversals r WHERE r.commission_line_id = l.id), 0)::numeric(20,2)::text AS reversed
         FROM commission_lines l WHERE l.order_id = $1 ORDER BY l.id`,
      [orderId],
    )).map((l) => ({ ...l, remaining: money(l.amount).minus(money(l.reversed)) }));
    if (lines.length === 0) return;
    await tx.query(
      `INSERT INTO commission_releases (commission_line_id)
       SELECT unnest(string_to_array($1, ',')::bigint[]) ON CONFLICT DO NOTHING`,
      [lines.map((l) => l.id).join(",")],
    );
    // One batch: member accounts are locked in (owner, kind) order, as every other posting does.
    await postMany(
      tx,
      lines.filter((l) => l.remaining.gt(0)).map((l) => ({
        kind: "release",
        ref: `line:${l.id}`,
        postings: releaseCommission(l.beneficiary_id, l.remaining),
      })),
    );
    // A line clawed back in full releases nothing: no event, no "¥0.00 arrived" notification.
    const released = lines.filter((l) => l.remaining.gt(0));
    if (released.length === 0) return;
    await appendEvents(
      tx,
      released.map((l) => ({
        type: "commission",
        rooms: [userRoom(l.beneficiary_id)],
        data: { lineId: l.id, orderId, amount: toMoneyString(l.remaining), status: "available" },
      })),
    );
    await notifyReleased(
      tx,
      released.map((l) => ({ userId: l.beneficiary_id, amount: toMoneyString(l.remaining), number: order.number })),
    );
  });
}

/**
 * Tells beneficiaries that commission became available: one normal-priority notification per released
 * line with money in it (amount and the order's number); lines with nothing left are skipped.
 */
export async function notifyReleased(
  tx: Db,
  released: { userId: string; amount: string; number: string }[],
): Promise<void> {
  const due = released.filter((r) => money(r.amount).gt(0));
  if (due.length === 0) return;
  await tx.query(
    `INSERT INTO notifications (user_id, kind, priority, title, body)
     SELECT n.user_id, 'commission_released', 'normal', n.title, n.body
       FROM jsonb_to_recordset($1::text::jsonb) AS n(user_id bigint, title text, body text)`,
    [
      JSON.stringify(due.map((r) => ({
        user_id: r.userId,
        title: storedMessage("notify.commission_released.title"),
        body: storedMessage("notify.commission_released.order", { amount: r.amount, number: r.number }),
      }))),
    ],
  );
}

/**
 * Claws back commission for an approved refund, in proportion, at every tier, in the refund's
 * transaction: from pending if not yet released, otherwise from available (which may go
 * negative and is offset by later earnings). Team figures drop by the refunded amount.
 */
export async function onRefundApproved(tx: Db, refund: ApprovedRefund): Promise<void> {
  await once(tx, "refund_approved", refund.id, async () => {
    // Lock order (LOCK_ORDER.md): team figures before ledger accounts.
    const day = shopDay(refund.order.paid_at ?? new Date());
    const chain = await chainOf(tx, String(refund.order.user_id), day);
    await addTeamSales(tx, chain, day, money(refund.amount).neg(), 0);
    const lines = await tx.query<
      {
        id: string;
        order_item_id: string;
        beneficiary_id: string;
        tier: number;
        amount: string;
        base: string;
        released: boolean;
      }
    >(
      `SELECT l.id::text, l.order_item_id::text, l.beneficiary_id::text, l.tier, l.amount, l.base,
              EXISTS (SELECT 1 FROM commission_releases r WHERE r.commission_line_id = l.id) AS released
         FROM commission_lines l WHERE l.order_item_id = ANY(string_to_array($1, ',')::bigint[])
        ORDER BY l.order_item_id, l.tier`,
      [refund.items.map((i) => String(i.orderItem.id)).join(",")],
    );
    const reversed: {
      lineId: string;
      beneficiaryId: string;
      tier: number;
      amount: Big;
      /** The part of the line's base this claw-back takes back (net sales by distributor). */
      base: string;
      from: "available" | "pending";
    }[] = [];
    for (const { orderItem, amount } of refund.items) {
      for (const line of lines.filter((l) => l.order_item_id === String(orderItem.id))) {
        const back = clawback(
          money(line.amount),
          money(orderItem.line_total),
          money(orderItem.refunded_amount),
          money(amount),
        );
        if (back.lte(0)) continue;
        reversed.push({
          lineId: line.id,
          beneficiaryId: line.beneficiary_id,
          tier: line.tier,
          amount: back,
          base: reversedBase(line.base, line.amount, toMoneyString(back)),
          from: line.released ? "available" : "pending",
        });
      }
    }
    if (reversed.length === 0) return;
    await tx.query(
      `INSERT INTO commission_reversals (commission_line_id, refund_id, amount, from_account)
       SELECT r.line_id, $1, r.amount, r.from_account
         FROM jsonb_to_recordset($2::text::jsonb) AS r(line_id bigint, amount numeric, from_account text)`,
      [
        refund.id,
        JSON.stringify(
          reversed.map((r) => ({ line_id: r.lineId, amount: toMoneyString(r.amount), from_account: r.from })),
        ),
      ],
    );
    await postMany(
      tx,
      reversed.map((r) => ({
        kind: "reversal",
        ref: `line:${r.lineId}:refund:${refund.id}`,
        postings: reverseCommission(r.beneficiaryId, r.amount, r.from),
      })),
    );
    const events: NewEvent[] = reversed.map((r) => ({
      type: "commission",
      rooms: [userRoom(r.beneficiaryId)],
      data: {
        lineId: r.lineId,
        orderId: String(refund.order.id),
        tier: r.tier,
        amount: toMoneyString(r.amount.neg()),
        status: "clawed_back",
        from: r.from,
      },
    }));
    // The managers' commission cost, by tier and by distributor, drops by what was clawed back.
    events.push({
      type: "commission_reversed",
      rooms: [MANAGERS_ROOM],
      data: {
        orderId: String(refund.order.id),
        refundId: refund.id,
        total: toMoneyString(sum(reversed.map((r) => r.amount))),
        byTier: TIERS.map((tier) => toMoneyString(sum(reversed.filter((r) => r.tier === tier).map((r) => r.amount)))),
        tier1: reversed.filter((r) => r.tier === 1).map((r) => ({
          id: r.beneficiaryId,
          amount: toMoneyString(r.amount),
          base: r.base,
        })),
      },
    });
    await appendEvents(tx, events);
  });
}

/** The distribution engine's hooks on the shop's order moments. */
export function distributionHooks(now: () => Date = () => new Date()): OrderHooks {
  return {
    onPaid: (tx, order, items) => onOrderPaid(tx, order, items, now()),
    // The return window closed: release now unless the plan holds commission longer (then the
    // release sweep does it when the hold ends).
    onCompleted: async (tx, order) => {
      if ((await currentPlan(tx)).holdDays <= appConfig.shop.returnWindowDays) {
        await releaseOrderCommissions(tx, String(order.id));
      }
    },
    onRefundApproved: (tx, refund) => onRefundApproved(tx, refund),
  };
}

/** Commission of delivered orders whose hold period is over becomes available (swept by the scheduler). */
export async function releaseDueCommissions(db: Db, now: Date): Promise<number> {
  const plan = await currentPlan(db);
  const due = await db.query<{ id: string }>(
    `SELECT o.id::text FROM orders o
      WHERE o.delivered_at IS NOT NULL AND o.delivered_at < $1
        AND o.status <> 'refund_requested'
        AND EXISTS (SELECT 1 FROM commission_lines l WHERE l.order_id = o.id)
        AND NOT EXISTS (SELECT 1 FROM distribution_events e WHERE e.kind = 'order_released' AND e.ref = o.id::text)
      ORDER BY o.id LIMIT 100`,
    [new Date(now.getTime() - plan.holdDays * 86_400_000)],
  );
  let released = 0;
  // One short transaction per order: its locks are those of one release, in the documented order.
  for (const { id } of due) {
    const done = await withRetry(() =>
      db.transaction(async (tx) => {
        const [order] = await tx.query<{ status: string }>("SELECT status FROM orders WHERE id = $1 FOR UPDATE", [id]);
        // An after-sales request opened meanwhile may claw the commission back: it waits for the decision.
        if (order.status === "refund_requested") return false;
        await releaseOrderCommissions(tx, id);
        return true;
      }), { name: "releaseDueCommissions" });
    if (done) released++;
  }
  return released;
}

/** Counts a new member in their uplines' team figures (members per tier, new members today). */
export async function recordNewMember(tx: Db, ancestors: string[], at: Date): Promise<void> {
  const day = shopDay(at);
  for (const [i, ancestorId] of ancestors.entries()) {
    await tx.query(
      `INSERT INTO team_counts (ancestor_id, depth, members) VALUES ($1, $2, 1)
       ON CONFLICT (ancestor_id, depth) DO UPDATE SET members = team_counts.members + 1`,
      [ancestorId, i + 1],
    );
    await tx.query(
      `INSERT INTO team_daily (ancestor_id, depth, day, new_members) VALUES ($1, $2, $3, 1)
       ON CONFLICT (ancestor_id, day, depth) DO UPDATE SET new_members = team_daily.new_members + 1`,
      [ancestorId, i + 1, day],
    );
  }
}
