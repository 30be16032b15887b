/**
 * Member look-ups that pages and the API share: the public view of a member, finding one by email, id or
 * referral code, and the names shown on statements and staff pages.
 */
import type { Db } from "../db/db.ts";
import { findUserByEmail, findUserById, findUserByReferralCode, toUser, type UserRow } from "../db/users_repo.ts";
import { pointsHistory } from "../db/shop_repo.ts";

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

/** Every manager with their staff role, for the staff page. */
export function staffMembers(db: Db) {
  return db.query<{ id: string; name: string; email: string; staff_role: string | null }>(
    "SELECT id, name, email, staff_role FROM users WHERE role = 'manager' ORDER BY id",
  );
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
