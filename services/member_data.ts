/**
 * A member's own data: the export (`GET /api/me/export`, everything the shop holds about the caller) and
 * erasure by staff (`POST /api/admin/users/:id/erase`: personal data removed, history kept).
 */
import type { Db } from "../db/db.ts";
import { listOrdersOfUser, openOrderAddress } from "../db/orders_repo.ts";
import { personalDataOf, toUser, type UserRow } from "../db/users_repo.ts";
import { balancesOf } from "../db/ledger_repo.ts";
import { pointsHistory } from "../db/shop_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { fail } from "../lib/errors.ts";
import { money } from "../domain/money.ts";
import { appConfig, type Locale } from "../fresh.config.ts";
import { renderStored } from "../i18n/messages.ts";
import type { SessionSockets } from "./accounts.ts";
import { listAddresses } from "./address_book.ts";
import { orderView } from "./orders.ts";
import { commissionsOf, withdrawalView } from "./earnings.ts";
import { withdrawalsOf } from "./payouts.ts";
import { statementsOf, statementView } from "./settlement.ts";

/** The most rows of one kind an export lists (a member with more is far beyond any real shopper). */
const EXPORT_LIMIT = 10_000;

/** The name an erased member is shown with (nothing about who they were). */
export const ERASED_NAME = "—";

/**
 * Everything the shop holds about a member, for themselves: profile with phone and ID number, address
 * book, orders with their delivery addresses (opened), points, commissions, withdrawals, statements,
 * refunds, claimed coupons, notifications and distributor applications. The export is audited (`user.export`).
 */
export async function exportMemberData(
  db: Db,
  box: CryptoBox,
  user: UserRow,
  ip: string | null,
  locale: Locale = appConfig.defaultLocale,
) {
  const userId = String(user.id);
  const [member] = await db.query<{ rank: string; total_spent: string; points_balance: number }>(
    "SELECT rank, total_spent, points_balance FROM users WHERE id = $1",
    [userId],
  );
  const personal = await personalDataOf(db, box, userId);
  const { rows: orderRows } = await listOrdersOfUser(db, userId, EXPORT_LIMIT, 0);
  const orders = [];
  for (const row of orderRows.reverse()) {
    orders.push(await orderView(db, { ...row, address: openOrderAddress(box, row) }, locale));
  }
  const commissions = await commissionsOf(db, userId, { page: 1, pageSize: EXPORT_LIMIT });
  const coupons = await db.query<{ code: string; claimed_at: Date; used_at: Date | null; order_id: string | null }>(
    `SELECT c.code, cc.claimed_at, cc.used_at, cc.order_id FROM coupon_claims cc JOIN coupons c ON c.id = cc.coupon_id
      WHERE cc.user_id = $1 ORDER BY cc.id`,
    [userId],
  );
  const [refunds, notifications, applications, directReferrals] = await Promise.all([
    db.query<
      { id: string; order_id: string; kind: string; status: string; reason: string; amount: string; created_at: Date }
    >(
      "SELECT id, order_id, kind, status, reason, amount, created_at FROM refunds WHERE user_id = $1 ORDER BY id",
      [userId],
    ),
    db.query<{ kind: string; title: string; body: string; read_at: Date | null; created_at: Date }>(
      "SELECT kind, title, body, read_at, created_at FROM notifications WHERE user_id = $1 ORDER BY id LIMIT $2",
      [userId, EXPORT_LIMIT],
    ),
    db.query<{ contact: string; channels: string; experience: string; status: string; created_at: Date }>(
      "SELECT contact, channels, experience, status, created_at FROM distributor_applications WHERE user_id = $1 ORDER BY id",
      [userId],
    ),
    db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE upline_id = $1", [userId]),
  ]);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  await appendAudit(db, { actorId: userId, action: "user.export", target: `user:${userId}`, ip });
  return {
    exportedAt: new Date().toISOString(),
    profile: {
      ...toUser(user),
      phone: personal.phone,
      idNumber: personal.idNumber,
      rank: member.rank,
      totalSpent: member.total_spent,
      pointsBalance: member.points_balance,
      directReferrals: directReferrals[0].n,
    },
    addresses: await listAddresses(db, box, userId),
    orders,
    points: (await pointsHistory(db, userId, EXPORT_LIMIT)).map((p) => ({
      delta: p.delta,
      reason: p.reason,
      orderId: p.order_id === null ? null : String(p.order_id),
      expiresAt: iso(p.expires_at),
      at: iso(p.at),
    })),
    commissions: { items: commissions.items, totals: commissions.totals },
    withdrawals: (await withdrawalsOf(db, userId, EXPORT_LIMIT)).map(withdrawalView),
    statements: (await statementsOf(db, userId)).map(statementView),
    refunds: refunds.map((r) => ({
      id: String(r.id),
      orderId: String(r.order_id),
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      amount: r.amount,
      createdAt: iso(r.created_at),
    })),
    coupons: coupons.map((c) => ({
      code: c.code,
      claimedAt: iso(c.claimed_at),
      usedAt: iso(c.used_at),
      orderId: c.order_id === null ? null : String(c.order_id),
    })),
    notifications: notifications.map((n) => ({
      kind: n.kind,
      title: renderStored(locale, n.title),
      body: renderStored(locale, n.body),
      readAt: iso(n.read_at),
      createdAt: iso(n.created_at),
    })),
    distributorApplications: applications.map((a) => ({
      contact: a.contact,
      channels: a.channels,
      experience: a.experience,
      status: a.status,
      createdAt: iso(a.created_at),
    })),
  };
}

/** Order statuses that still owe the member something (goods, money, a decision). */
const OPEN_ORDER_STATUSES = ["pending_payment", "paid", "shipped", "refund_requested"];

/**
 * What keeps a member from being erased: open orders (unpaid, paid and not shipped, shipped and not
 * received, a refund under review), after-sales requests under review, withdrawals not yet decided, and
 * money on their accounts (pending or available commission, money in withdrawal; a negative balance is
 * owed to the shop). Empty when they may be erased. Read under the member's row lock.
 */
async function openObligations(tx: Db, userId: string): Promise<Record<string, string>> {
  const [row] = await tx.query<{ orders: number; refunds: number; withdrawals: number }>(
    `SELECT (SELECT count(*) FROM orders WHERE user_id = $1 AND status = ANY($2::text[]))::int AS orders,
            (SELECT count(*) FROM refunds WHERE user_id = $1 AND status = 'requested')::int AS refunds,
            (SELECT count(*) FROM withdrawals WHERE user_id = $1 AND status = 'requested')::int AS withdrawals`,
    [userId, OPEN_ORDER_STATUSES],
  );
  const balances = await balancesOf(tx, userId);
  const open: Record<string, string> = {};
  if (row.orders) open.orders = `${row.orders} order(s) not yet received or completed`;
  if (row.refunds) open.refunds = `${row.refunds} after-sales request(s) under review`;
  if (row.withdrawals) open.withdrawals = `${row.withdrawals} withdrawal(s) waiting for a decision`;
  for (const kind of ["pending", "available", "withdrawing"] as const) {
    if (!money(balances[kind]).eq(0)) open[`balance.${kind}`] = `Balance ${kind} is ${balances[kind]}, not 0.00`;
  }
  return open;
}

/**
 * Erases a member's personal data: name, email, password, phone, ID number, address book, the delivery
 * addresses of their orders (the city stays for the shop's regional figures), distributor application
 * texts, notifications, sessions and remembered devices. Orders, their lines and totals, points, the
 * ledger, commission lines and statements stay as they were (history is immutable; they now point at an
 * anonymous member). The member can no longer sign in and earns no further commission. 409 while they
 * have open obligations (`openObligations`); managers cannot be erased (demote them first). Audited
 * (`user.erase`, without the erased data). Locks: the member's orders, then the member (LOCK_ORDER.md).
 */
export async function eraseMember(
  db: Db,
  actor: UserRow,
  targetId: string,
  ip: string | null,
  sockets?: SessionSockets,
): Promise<{ id: string; erasedAt: string; alreadyErased: boolean }> {
  const result = await db.transaction(async (tx) => {
    await tx.query("SELECT id FROM orders WHERE user_id = $1 ORDER BY id FOR UPDATE", [targetId]);
    const [target] = await tx.query<UserRow & { erased_at: Date | null }>(
      "SELECT id, email, role, erased_at FROM users WHERE id = $1 FOR UPDATE",
      [targetId],
    );
    if (!target) throw fail.notFound("Member");
    if (target.erased_at) {
      return { id: targetId, erasedAt: new Date(target.erased_at).toISOString(), alreadyErased: true, sessions: [] };
    }
    if (target.role === "manager") {
      throw fail.conflict("A manager's account cannot be erased; change their role first", { role: "Manager" });
    }
    const open = await openObligations(tx, targetId);
    if (Object.keys(open).length) {
      throw fail.conflict("The member has open obligations; settle them before erasing", open);
    }
    const sessions = await tx.query<{ id: string }>("DELETE FROM sessions WHERE user_id = $1 RETURNING id", [targetId]);
    const [counts] = await tx.query<{ addresses: number; orders: number }>(
      `SELECT (SELECT count(*) FROM addresses WHERE user_id = $1)::int AS addresses,
              (SELECT count(*) FROM orders WHERE user_id = $1)::int AS orders`,
      [targetId],
    );
    const [erased] = await tx.query<{ erased_at: Date }>(
      `UPDATE users SET name = $2, email = $3, password_hash = '!erased', phone = NULL, phone_enc = NULL,
              phone_hash = NULL, id_number_enc = NULL, erased_at = now()
        WHERE id = $1 RETURNING erased_at`,
      [targetId, ERASED_NAME, `erased-${targetId}@erased.invalid`],
    );
    await tx.query("DELETE FROM addresses WHERE user_id = $1", [targetId]);
    await tx.query(
      `UPDATE orders SET address = jsonb_build_object('city', address->>'city'), address_enc = NULL, phone_hash = NULL,
              name_hash = NULL
        WHERE user_id = $1`,
      [targetId],
    );
    await tx.query(
      "UPDATE distributor_applications SET contact = '', channels = '', experience = '' WHERE user_id = $1",
      [targetId],
    );
    await tx.query("DELETE FROM notifications WHERE user_id = $1", [targetId]);
    await tx.query("DELETE FROM known_devices WHERE user_id = $1", [targetId]);
    await tx.query("DELETE FROM cart_items WHERE user_id = $1", [targetId]);
    await tx.query("DELETE FROM login_failures WHERE lower(email) = lower($1)", [target.email]);
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "user.erase",
      target: `user:${targetId}`,
      ip,
      before: { role: target.role, addresses: counts.addresses, orders: counts.orders },
      after: { erasedAt: new Date(erased.erased_at).toISOString() },
    });
    return {
      id: targetId,
      erasedAt: new Date(erased.erased_at).toISOString(),
      alreadyErased: false,
      sessions: sessions.map((s) => s.id),
    };
  });
  sockets?.disconnect(result.sessions);
  return { id: result.id, erasedAt: result.erasedAt, alreadyErased: result.alreadyErased };
}

/** When a member's personal data was erased (ISO time), or null. */
export async function erasedAtOf(db: Db, userId: string): Promise<string | null> {
  if (!/^\d{1,18}$/.test(userId)) return null;
  const [row] = await db.query<{ erased_at: Date | null }>("SELECT erased_at FROM users WHERE id = $1", [userId]);
  return row?.erased_at ? new Date(row.erased_at).toISOString() : null;
}
