import Big from "big.js";
import { MAX_TIERS, type Tier } from "../domain/referral.ts";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { withRetry } from "../db/retry.ts";
import { labelFor, msg, says, storedMessage } from "../i18n/messages.ts";
import { balancesOf, post } from "../db/ledger_repo.ts";
import { appendEvent } from "../db/events_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { holdWithdrawal, payWithdrawal, releaseWithdrawal } from "../domain/ledger/postings.ts";
import { quoteWithdrawal } from "../domain/commission/tax.ts";
import { decimalText, money, sum, toMoneyString } from "../domain/money.ts";
import { type UnusualReason, unusualWithdrawal } from "../domain/payout/unusual.ts";
import { fail } from "../lib/errors.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import { appConfig } from "../fresh.config.ts";
import { currentPlan } from "./distribution.ts";
import { likeContains, text } from "../lib/text.ts";
import { orderByClause, type SortColumn } from "../db/list_order.ts";
import { shopDay, shopDayBefore, shopMonthStart } from "../domain/shop_time.ts";

/** `GET /api/me/team` query. */
export const teamQuerySchema = z.object({
  depth: z.coerce.number().int().min(1).max(3).default(3),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize).default(50),
  q: text().trim().max(60).optional(),
});

/** Where a commission line stands: held, withdrawable, or taken back by a refund. */
export type CommissionStatus = "pending" | "available" | "clawed_back";

/** Team figures per tier: members, and sales today / 7 days / 30 days (index lookups only). */
export async function teamFigures(db: Db, userId: string, now = new Date()) {
  const rows = await db.query<
    { depth: Tier; members: number; today: string; d7: string; d30: string; new_today: number }
  >(
    `SELECT t.depth,
            coalesce((SELECT members FROM team_counts c WHERE c.ancestor_id = $1 AND c.depth = t.depth), 0)::int AS members,
            coalesce(sum(d.sales) FILTER (WHERE d.day >= $2::date), 0)::numeric(20,2)::text AS today,
            coalesce(sum(d.sales) FILTER (WHERE d.day >= $3::date), 0)::numeric(20,2)::text AS d7,
            coalesce(sum(d.sales), 0)::numeric(20,2)::text AS d30,
            coalesce(sum(d.new_members) FILTER (WHERE d.day >= $2::date), 0)::int AS new_today
       FROM generate_series(1, ${MAX_TIERS}) AS t(depth)
       LEFT JOIN team_daily d ON d.ancestor_id = $1 AND d.depth = t.depth AND d.day >= $4::date
      GROUP BY t.depth ORDER BY t.depth`,
    [userId, shopDay(now), shopDayBefore(now, 6), shopDayBefore(now, 29)],
  );
  return rows.map((r) => ({
    tier: r.depth,
    members: r.members,
    today: r.today,
    d7: r.d7,
    d30: r.d30,
    newToday: r.new_today,
  }));
}

/** `GET /api/me/commissions` query. */
export const commissionQuerySchema = z.object({
  status: z.enum(["pending", "available", "clawed_back"]).optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month like 2026-11").optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize).default(50),
});

/** A commission line's status in SQL, over `l` with LINE_STATUS_JOINS: clawed back, available or pending. */
const LINE_STATUS = `CASE WHEN rev.total >= l.amount THEN 'clawed_back'
                          WHEN rel.commission_line_id IS NOT NULL THEN 'available' ELSE 'pending' END`;
const LINE_STATUS_JOINS = `LEFT JOIN commission_releases rel ON rel.commission_line_id = l.id
      LEFT JOIN LATERAL (SELECT coalesce(sum(r.amount), 0) AS total FROM commission_reversals r WHERE r.commission_line_id = l.id) rev ON true`;

/** The commission an order paid up its chain: each line with its beneficiary, status and what was clawed back. */
export async function orderCommissions(db: Db, orderId: string) {
  const rows = await db.query<
    {
      id: string;
      tier: Tier;
      beneficiary_id: string;
      name: string;
      rate: string;
      base: string;
      amount: string;
      reversed: string;
      status: CommissionStatus;
    }
  >(
    `SELECT l.id, l.tier, l.beneficiary_id, u.name, l.rate, l.base, l.amount, rev.total::numeric(20,2)::text AS reversed,
            ${LINE_STATUS} AS status
       FROM commission_lines l JOIN users u ON u.id = l.beneficiary_id ${LINE_STATUS_JOINS}
      WHERE l.order_id = $1 ORDER BY l.tier, l.id`,
    [orderId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    tier: r.tier,
    beneficiaryId: String(r.beneficiary_id),
    name: r.name,
    rate: decimalText(money(r.rate), 4),
    base: r.base,
    amount: r.amount,
    reversed: r.reversed,
    status: r.status as "pending" | "available" | "clawed_back",
  }));
}

/** A member's commission lines with their status, and their totals from the ledger. */
export async function commissionsOf(db: Db, userId: string, q: z.infer<typeof commissionQuerySchema>) {
  const status = LINE_STATUS;
  const params: unknown[] = [userId];
  let where = "";
  if (q.status) {
    params.push(q.status);
    where += ` AND ${status} = $${params.length}`;
  }
  if (q.month) {
    params.push(`${q.month}-01`, appConfig.timeZone);
    const [m, tz] = [`$${params.length - 1}`, `$${params.length}`];
    where +=
      ` AND (l.created_at AT TIME ZONE ${tz}) >= ${m}::date AND (l.created_at AT TIME ZONE ${tz}) < (${m}::date + interval '1 month')`;
  }
  const base = `FROM commission_lines l ${LINE_STATUS_JOINS}
     WHERE l.beneficiary_id = $1 ${where}`;
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total ${base}`, params);
  const rows = await db.query<
    {
      id: string;
      order_id: string;
      order_number: string;
      tier: Tier;
      rate: string;
      base: string;
      amount: string;
      reversed: string;
      status: CommissionStatus;
      plan_version: number;
      created_at: Date;
    }
  >(
    `SELECT l.id, l.order_id, (SELECT o.number FROM orders o WHERE o.id = l.order_id) AS order_number, l.tier, l.rate,
            l.base, l.amount, rev.total::numeric(20,2)::text AS reversed, ${status} AS status, l.plan_version, l.created_at
       ${base}
      ORDER BY l.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      orderId: String(r.order_id),
      orderNumber: r.order_number,
      tier: r.tier,
      rate: money(r.rate).toFixed(4),
      base: r.base,
      amount: r.amount,
      clawedBack: r.reversed,
      status: r.status,
      planVersion: r.plan_version,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    total,
    totals: await earningTotals(db, userId),
  };
}

/** A member's money: pending, available, paid (withdrawn, gross), clawed back, in withdrawal. */
export async function earningTotals(db: Db, userId: string) {
  const b = await balancesOf(db, userId);
  const [row] = await db.query<{ paid: string; clawed: string }>(
    `SELECT coalesce((SELECT sum(amount) FROM withdrawals WHERE user_id = $1 AND status = 'paid'), 0)::numeric(20,2)::text AS paid,
            coalesce((SELECT sum(r.amount) FROM commission_reversals r JOIN commission_lines l ON l.id = r.commission_line_id
                       WHERE l.beneficiary_id = $1), 0)::numeric(20,2)::text AS clawed`,
    [userId],
  );
  return {
    pending: b.pending,
    available: b.available,
    withdrawing: b.withdrawing,
    paid: row.paid,
    clawedBack: row.clawed,
  };
}

/** The body of `POST /api/me/withdrawals`. */
export const withdrawalSchema = z.object({
  amount: z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, says("earn.err.amountFormat")),
});

/** A withdrawal row. */
export interface WithdrawalRow {
  id: string;
  /** What the request asked for (`amount:<decimal>`), to refuse its key with another amount. */
  idempotency_fingerprint?: string | null;
  user_id: string;
  amount: string;
  fee: string;
  tax: string;
  net: string;
  status: "requested" | "paid" | "rejected";
  created_at: Date;
  decided_at: Date | null;
  payout_ref: string | null;
}

/** The API's `withdrawal`. */
export function withdrawalView(w: WithdrawalRow) {
  return {
    id: String(w.id),
    amount: w.amount,
    fee: w.fee,
    tax: w.tax,
    net: w.net,
    status: w.status,
    createdAt: new Date(w.created_at).toISOString(),
    decidedAt: w.decided_at ? new Date(w.decided_at).toISOString() : null,
  };
}

/** What a withdrawal of `amount` would cost now: fee and tax on this month's cumulative income. */
export async function previewWithdrawal(db: Db, userId: string, amount: Big, now = new Date()) {
  const plan = await currentPlan(db);
  const [month] = await db.query<{ income: string; tax: string }>(
    `SELECT coalesce(sum(amount), 0)::numeric(20,2)::text AS income, coalesce(sum(tax), 0)::numeric(20,2)::text AS tax
       FROM withdrawals WHERE user_id = $1 AND status <> 'rejected' AND created_at >= $2`,
    [userId, shopMonthStart(now)],
  );
  return { plan, quote: quoteWithdrawal(amount, money(plan.withdrawalFee), money(month.income), money(month.tax)) };
}

/**
 * A distributor asks to withdraw: at least the minimum, at most what is available; the amount
 * is held in the ledger until a manager approves. The same Idempotency-Key returns the first one.
 * `now` is the moment of the request (its month's income decides the tax).
 */
export async function requestWithdrawal(db: Db, user: UserRow, amountText: string, key: string, now = new Date()) {
  const existing = await db.query<WithdrawalRow>(
    "SELECT * FROM withdrawals WHERE user_id = $1 AND idempotency_key = $2",
    [
      user.id,
      key,
    ],
  );
  const amount = money(amountText);
  const fingerprint = `amount:${toMoneyString(amount)}`;
  if (existing[0]) return sameWithdrawal(existing[0], fingerprint);
  try {
    return await withRetry(() =>
      db.transaction(async (tx) => {
        await tx.query("SELECT id FROM users WHERE id = $1 FOR UPDATE", [user.id]);
        // The same row lock a claw-back takes: the balance checked is the balance held.
        const available = await lockAvailable(tx, String(user.id));
        const { plan, quote } = await previewWithdrawal(tx, String(user.id), amount, now);
        if (amount.lt(money(plan.minWithdrawal))) {
          throw fail.unprocessable("earn.err.minimum", { min: plan.minWithdrawal }, {
            amount: msg("earn.err.atLeast", { amount: plan.minWithdrawal }),
          });
        }
        if (amount.gt(available)) {
          const amount = toMoneyString(available);
          throw fail.unprocessable("earn.err.available", { amount }, { amount: msg("earn.err.atMost", { amount }) });
        }
        if (quote.net.lte(0)) {
          throw fail.unprocessable("earn.err.nothingLeft", {}, { amount: msg("earn.err.tooSmall") });
        }
        const [w] = await tx.query<WithdrawalRow>(
          `INSERT INTO withdrawals (user_id, amount, fee, tax, net, status, idempotency_key, idempotency_fingerprint, created_at)
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8) RETURNING *`,
          [
            user.id,
            toMoneyString(amount),
            toMoneyString(quote.fee),
            toMoneyString(quote.tax),
            toMoneyString(quote.net),
            key,
            fingerprint,
            now,
          ],
        );
        await post(tx, "withdrawal_hold", `withdrawal:${w.id}`, holdWithdrawal(String(user.id), amount));
        const [{ earlier }] = await tx.query<{ earlier: number }>(
          `SELECT count(*)::int AS earlier FROM withdrawals
          WHERE user_id = $1 AND id <> $2 AND created_at > $3::timestamptz - interval '1 day'`,
          [user.id, w.id, now],
        );
        const unusual = unusualWithdrawal({ amount: w.amount, earlierIn24h: earlier }, appConfig.withdrawalAlerts);
        await appendEvent(tx, "withdrawal", {
          withdrawalId: String(w.id),
          userId: String(user.id),
          amount: w.amount,
          net: w.net,
          status: "requested",
        }, [userRoom(String(user.id)), MANAGERS_ROOM]);
        if (unusual.length) {
          // Managers see it at once, without the member's other details.
          await appendEvent(tx, "withdrawal_unusual", {
            withdrawalId: String(w.id),
            userId: String(user.id),
            name: user.name,
            amount: w.amount,
            reasons: unusual,
          }, [MANAGERS_ROOM]);
        }
        return w;
      }), { name: "requestWithdrawal" });
  } catch (err) {
    const first = await db.query<WithdrawalRow>(
      "SELECT * FROM withdrawals WHERE user_id = $1 AND idempotency_key = $2",
      [
        user.id,
        key,
      ],
    );
    if (first[0]) return sameWithdrawal(first[0], fingerprint);
    throw err;
  }
}

/**
 * Locks a member's available account (the row a claw-back updates) and returns its balance as
 * the member reads it; zero when the member has none yet.
 */
async function lockAvailable(tx: Db, userId: string): Promise<Big> {
  const [row] = await tx.query<{ available: string }>(
    `SELECT (-balance)::numeric(20,2)::text AS available FROM ledger_accounts
      WHERE owner_id = $1 AND kind = 'available' FOR UPDATE`,
    [userId],
  );
  return money(row?.available ?? "0");
}

/** The first withdrawal of an Idempotency-Key, refused when the key came with another amount. */
function sameWithdrawal(first: WithdrawalRow, fingerprint: string): WithdrawalRow {
  if (first.idempotency_fingerprint && first.idempotency_fingerprint !== fingerprint) {
    throw fail.as("idempotency_mismatch", "earn.err.keyReused", {}, { "Idempotency-Key": msg("err.idempotencyUsed") });
  }
  return first;
}

/** 409: the withdrawal was already paid or rejected. */
function withdrawalDecided(status: WithdrawalRow["status"]) {
  return fail.as("invalid_transition", "earn.err.already", { status: labelFor("earn.w", status) });
}

/** The payout port: sends money to a distributor. The sandbox settles at once. */
export interface PayoutProvider {
  payout(input: { withdrawalId: string; userId: string; amount: string }): Promise<{ ref: string }>;
}

/** The sandbox payout provider; idempotent by withdrawal id. */
export const sandboxPayouts: PayoutProvider = {
  payout: (input) => Promise.resolve({ ref: `po_${input.withdrawalId}` }),
};

/** A manager approves a withdrawal (at `now`): paid out through the payout port, posted, audited; idempotent. */
export async function approveWithdrawal(
  db: Db,
  manager: UserRow,
  id: string,
  ip: string | null,
  payouts = sandboxPayouts,
  now = new Date(),
) {
  return await withRetry(() =>
    db.transaction(async (tx) => {
      const [w] = await tx.query<WithdrawalRow>("SELECT * FROM withdrawals WHERE id = $1 FOR UPDATE", [
        /^\d{1,18}$/.test(id) ? id : "0",
      ]);
      if (!w) throw fail.notFound("withdrawal");
      if (w.status === "paid") return w;
      if (w.status !== "requested") throw withdrawalDecided(w.status);
      // Refunds may have clawed back commission since the request: never pay out money that is owed back.
      const available = await lockAvailable(tx, String(w.user_id));
      if (available.lt(0)) {
        throw fail.conflict("earn.err.clawedBack", { amount: toMoneyString(available.neg()) }, {
          available: msg("earn.err.available", { amount: toMoneyString(available) }),
        });
      }
      const { ref } = await payouts.payout({ withdrawalId: String(w.id), userId: String(w.user_id), amount: w.net });
      await post(
        tx,
        "withdrawal_paid",
        `withdrawal:${w.id}`,
        payWithdrawal(String(w.user_id), {
          amount: money(w.amount),
          fee: money(w.fee),
          tax: money(w.tax),
          net: money(w.net),
        }),
      );
      const [paid] = await tx.query<WithdrawalRow>(
        "UPDATE withdrawals SET status = 'paid', payout_ref = $2, decided_by = $3, decided_at = $4 WHERE id = $1 RETURNING *",
        [w.id, ref, manager.id, now],
      );
      await appendAudit(tx, {
        actorId: String(manager.id),
        action: "withdrawal.approve",
        target: `withdrawal:${w.id}`,
        ip,
        before: { status: w.status },
        after: { status: "paid", net: w.net, payoutRef: ref },
      });
      await tx.query(
        "INSERT INTO notifications (user_id, kind, priority, title, body) VALUES ($1, 'withdrawal_paid', 'important', $2, $3)",
        [
          w.user_id,
          storedMessage("notify.withdrawal_paid.title"),
          storedMessage("notify.withdrawal_paid.body", { net: w.net }),
        ],
      );
      await appendEvent(
        tx,
        "withdrawal",
        { withdrawalId: String(w.id), userId: String(w.user_id), amount: w.amount, net: w.net, status: "paid" },
        [userRoom(String(w.user_id)), MANAGERS_ROOM],
      );
      return paid;
    }), { name: "approveWithdrawal" });
}

/** A manager rejects a withdrawal with a reason (at `now`); the amount returns to available. */
export async function rejectWithdrawal(
  db: Db,
  manager: UserRow,
  id: string,
  reason: string,
  ip: string | null,
  now = new Date(),
) {
  return await db.transaction(async (tx) => {
    const [w] = await tx.query<WithdrawalRow>("SELECT * FROM withdrawals WHERE id = $1 FOR UPDATE", [
      /^\d{1,18}$/.test(id) ? id : "0",
    ]);
    if (!w) throw fail.notFound("withdrawal");
    if (w.status !== "requested") throw withdrawalDecided(w.status);
    await post(tx, "withdrawal_release", `withdrawal:${w.id}`, releaseWithdrawal(String(w.user_id), money(w.amount)));
    const [rejected] = await tx.query<WithdrawalRow>(
      "UPDATE withdrawals SET status = 'rejected', decided_by = $2, decided_at = $4, decision_note = $3 WHERE id = $1 RETURNING *",
      [w.id, manager.id, reason, now],
    );
    await appendAudit(tx, {
      actorId: String(manager.id),
      action: "withdrawal.reject",
      target: `withdrawal:${w.id}`,
      ip,
      before: { status: w.status },
      after: { status: "rejected", reason },
    });
    await appendEvent(
      tx,
      "withdrawal",
      { withdrawalId: String(w.id), userId: String(w.user_id), amount: w.amount, status: "rejected" },
      [userRoom(String(w.user_id)), MANAGERS_ROOM],
    );
    return rejected;
  });
}

/** Sum helper for tests and statements. */
export function total(values: string[]): string {
  return toMoneyString(sum(values.map((v) => money(v))));
}

/** A withdrawal as the console lists it: the member's name and why it may be unusual. */
export type ReviewedWithdrawal = WithdrawalRow & { name: string; unusual: UnusualReason[] };

/** Whether withdrawals are unusual, from how many requests the member made in the 24 hours before each. */
function withUnusual(rows: (WithdrawalRow & { name: string; earlier: number })[]): ReviewedWithdrawal[] {
  return rows.map(({ earlier, ...w }) => ({
    ...w,
    unusual: unusualWithdrawal({ amount: w.amount, earlierIn24h: earlier }, appConfig.withdrawalAlerts),
  }));
}

/** How many earlier requests the member made in the 24 hours before a withdrawal `w` (a column `earlier`). */
const EARLIER_IN_24H = `(SELECT count(*) FROM withdrawals x WHERE x.user_id = w.user_id AND x.id <> w.id
   AND x.created_at <= w.created_at AND x.created_at > w.created_at - interval '1 day')::int AS earlier`;

/**
 * Withdrawals for review, requested ones first (at most `limit`), each with the reasons it is
 * unusual: a large amount, or one of several requests by the member within 24 hours before it.
 */
export async function withdrawalsForReview(
  db: Db,
  options: { onlyRequested?: boolean; limit: number },
): Promise<ReviewedWithdrawal[]> {
  const rows = await db.query<WithdrawalRow & { name: string; earlier: number }>(
    `SELECT w.*, u.name, ${EARLIER_IN_24H}
       FROM withdrawals w JOIN users u ON u.id = w.user_id
      ${options.onlyRequested ? "WHERE w.status = 'requested'" : ""}
      ORDER BY (w.status = 'requested') DESC, w.id DESC LIMIT $1`,
    [options.limit],
  );
  return withUnusual(rows);
}

/** The columns the payout queue sorts by: when requested (the id's order), amount, net, member name. */
export const WITHDRAWAL_SORTS = ["created", "amount", "net", "name"] as const;
/** A sort key of the payout queue. */
export type WithdrawalSort = (typeof WITHDRAWAL_SORTS)[number];
const WITHDRAWAL_SORT_COLUMNS: Record<WithdrawalSort, SortColumn> = {
  created: "w.id",
  amount: "w.amount",
  net: "w.net",
  name: "u.name",
};

/** What the payout queue shows: one status, a member name or withdrawal number, a sort and a page. */
export interface WithdrawalQuery {
  status?: WithdrawalRow["status"];
  q?: string;
  sort: WithdrawalSort;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/** A page of the payout queue, filtered, sorted and paged in SQL, with how many match and why each is unusual. */
export async function withdrawalQueue(
  db: Db,
  query: WithdrawalQuery,
): Promise<{ total: number; rows: ReviewedWithdrawal[] }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.status) where.push(`w.status = ${param(query.status)}`);
  if (query.q) where.push(`(u.name ILIKE ${param(likeContains(query.q))} OR w.id::text = ${param(query.q)})`);
  const rows = await db.query<WithdrawalRow & { name: string; earlier: number; total: number }>(
    `SELECT w.*, u.name, ${EARLIER_IN_24H}, count(*) OVER ()::int AS total
       FROM withdrawals w JOIN users u ON u.id = w.user_id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ${orderByClause(WITHDRAWAL_SORT_COLUMNS, query.sort, query.dir, "w.id")}
      LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`,
    params,
  );
  if (rows.length === 0 && query.offset > 0) {
    // Past the last page: how many there are, for the pager's way back.
    return { total: (await withdrawalQueue(db, { ...query, limit: 1, offset: 0 })).total, rows: [] };
  }
  return { total: rows[0]?.total ?? 0, rows: withUnusual(rows.map(({ total: _, ...r }) => r)) };
}
