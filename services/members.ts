/**
 * Member look-ups that pages and the API share: the public view of a member, finding one by email, id or
 * referral code, and the names shown on statements and staff pages.
 */
import type { Db } from "../db/db.ts";
import { findUserByEmail, findUserById, findUserByReferralCode, toUser, type UserRow } from "../db/users_repo.ts";
import { pointsHistory } from "../db/shop_repo.ts";
import { orderByClause, type SortColumn } from "../db/list_order.ts";
import { likeContains } from "../lib/text.ts";
import type { StaffRole } from "../domain/permissions.ts";

/** A member as the API shows it (`user` of the contract). */
export function userView(row: UserRow): ReturnType<typeof toUser> {
  return toUser(row);
}

/** The member with this email, if any. */
export function memberByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  // Text PostgreSQL cannot hold (a NUL) is no member's email.
  if (email.includes("\u0000") || email.length > 320) return Promise.resolve(undefined);
  return findUserByEmail(db, email);
}

/** The member with this id, if any. */
export function memberById(db: Db, id: string): Promise<UserRow | undefined> {
  return findUserById(db, id);
}

/** The owner of a referral code, if any. */
export function memberByReferralCode(db: Db, code: string): Promise<UserRow | undefined> {
  return findUserByReferralCode(db, code);
}

/** The member whose referral link brought this buyer (the `ref` cookie's code), never the buyer themself. */
export async function attributedReferrer(db: Db, code: string | undefined, buyerId: string): Promise<string | null> {
  if (!code) return null;
  const referrer = await findUserByReferralCode(db, code);
  return referrer && String(referrer.id) !== buyerId ? String(referrer.id) : null;
}

/** The name of a statement's (or any record's) member, "" when the member is gone. */
export async function memberName(db: Db, userId: string | number): Promise<string> {
  const [row] = await db.query<{ name: string }>("SELECT name FROM users WHERE id = $1", [userId]);
  return row?.name ?? "";
}

/** A buyer as the staff's order page shows them. */
export async function buyerSummary(
  db: Db,
  userId: string | number,
): Promise<{ id: string; name: string; level: string } | undefined> {
  const [row] = await db.query<{ id: string; name: string; level: string }>(
    "SELECT id, name, level FROM users WHERE id = $1",
    [userId],
  );
  return row;
}

/** The columns the staff list sorts by: when they joined (their id), name, email, staff role. */
export const STAFF_SORTS = ["joined", "name", "email", "role"] as const;
/** A sort key of the staff list. */
export type StaffSort = (typeof STAFF_SORTS)[number];
const STAFF_SORT_COLUMNS: Record<StaffSort, SortColumn> = {
  joined: "id",
  name: "name",
  email: "lower(email)",
  // A manager without a staff role is an admin (the first one).
  role: "coalesce(staff_role, 'admin')",
};

/** What the staff list shows: a name or email search, one staff role, a sort and a page. */
export interface StaffQuery {
  q?: string;
  role?: StaffRole;
  sort: StaffSort;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/** A manager as the staff list shows them. */
export interface StaffListRow {
  id: string;
  name: string;
  email: string;
  staff_role: string | null;
  created_at: Date;
  total: number;
}

/** A page of managers with their staff role, filtered and sorted in SQL, and how many match. */
export async function staffList(db: Db, query: StaffQuery): Promise<{ total: number; rows: StaffListRow[] }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ["role = 'manager'"];
  if (query.q) {
    const like = param(likeContains(query.q));
    where.push(`(name ILIKE ${like} OR email ILIKE ${like})`);
  }
  if (query.role) where.push(`coalesce(staff_role, 'admin') = ${param(query.role)}`);
  const rows = await db.query<StaffListRow>(
    `SELECT id::text, name, email, staff_role, created_at, count(*) OVER ()::int AS total FROM users
      WHERE ${where.join(" AND ")}
      ${orderByClause(STAFF_SORT_COLUMNS, query.sort, query.dir, "id")}
      LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`,
    params,
  );
  if (rows.length === 0 && query.offset > 0) {
    // Past the last page: how many there are, for the pager's way back.
    return { total: (await staffList(db, { ...query, limit: 1, offset: 0 })).total, rows };
  }
  return { total: rows[0]?.total ?? 0, rows };
}

/** A member's points balance and lifetime spend (fresh from the database, not the session's copy). */
export async function memberBalance(
  db: Db,
  userId: string | number,
): Promise<{ points_balance: number; total_spent: string }> {
  const [row] = await db.query<{ points_balance: number; total_spent: string }>(
    "SELECT points_balance, total_spent FROM users WHERE id = $1",
    [userId],
  );
  return row;
}

/** A member's latest points movements, newest first. */
export function pointsHistoryOf(db: Db, userId: string, limit = 50): ReturnType<typeof pointsHistory> {
  return pointsHistory(db, userId, limit);
}
