/** The sandbox payment provider's checkout page: a payment as its payer sees it. */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { fail } from "../lib/errors.ts";

/** A payment with its order's number, for its payer only (404 for anyone else). */
export async function paymentForPayer(
  db: Db,
  paymentId: string,
  payer: UserRow,
): Promise<{ id: string; order_id: string; amount: string; status: string; number: string; user_id: string }> {
  const [payment] = await db.query<
    { id: string; order_id: string; amount: string; status: string; number: string; user_id: string }
  >(
    `SELECT p.id, p.order_id, p.amount, p.status, o.number, o.user_id FROM payments p JOIN orders o ON o.id = p.order_id
      WHERE p.id = $1`,
    [paymentId],
  );
  if (!payment || String(payment.user_id) !== String(payer.id)) throw fail.notFound("payment");
  return payment;
}
