/** Withdrawal lists: a member's own, and the payout queue for finance. */
import type { Db } from "../db/db.ts";
import type { WithdrawalRow } from "./earnings.ts";

/** A member's withdrawals, newest first. */
export function withdrawalsOf(db: Db, userId: string | number, limit: number): Promise<WithdrawalRow[]> {
  return db.query<WithdrawalRow>("SELECT * FROM withdrawals WHERE user_id = $1 ORDER BY id DESC LIMIT $2", [
    userId,
    limit,
  ]);
}

/** Every member's withdrawals with the member's name, newest first, optionally of one status. */
export function withdrawalsWithNames(
  db: Db,
  status: string | undefined,
  limit = 100,
): Promise<(WithdrawalRow & { name: string })[]> {
  return db.query<WithdrawalRow & { name: string }>(
    `SELECT w.*, u.name FROM withdrawals w JOIN users u ON u.id = w.user_id
      WHERE ($1::text IS NULL OR w.status = $1) ORDER BY w.id DESC LIMIT $2`,
    [status ?? null, limit],
  );
}
