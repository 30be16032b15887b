import type { Db } from "./db.ts";
import { type AccountKind, isBalanced, type Posting } from "../domain/ledger/postings.ts";
import { toMoneyString } from "../domain/money.ts";
import { lockOutbox } from "./events_repo.ts";

/** Advisory lock between ledger postings (shared) and settlement closing (exclusive). */
export const LEDGER_LOCK = 727_003;

/**
 * Posts a balanced transaction once: `(kind, ref)` is its natural key, so posting the same
 * business event again (a retry, a race) does nothing and returns false.
 */
export async function post(tx: Db, kind: string, ref: string, postings: Posting[]): Promise<boolean> {
  if (!isBalanced(postings)) throw new Error(`Cannot post ${kind} ${ref}: the transaction does not balance`);
  // Postings happen in transactions that also write outbox events: take the outbox lock first,
  // as event writers do, so the two never wait on each other in opposite orders.
  await lockOutbox(tx);
  // Shared with other postings, exclusive for closing a settlement period: a close sees every
  // posting that committed before it and none that commits after.
  await tx.query("SELECT pg_advisory_xact_lock_shared($1)", [LEDGER_LOCK]);
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO ledger_transactions (kind, ref) VALUES ($1, $2) ON CONFLICT (kind, ref) DO NOTHING RETURNING id",
    [kind, ref],
  );
  if (!row) return false;
  for (const p of postings) {
    const [account] = await tx.query<{ id: string }>(
      `INSERT INTO ledger_accounts (owner_id, kind, balance) VALUES ($1, $2, $3)
       ON CONFLICT (owner_id, kind) DO UPDATE SET balance = ledger_accounts.balance + EXCLUDED.balance
       RETURNING id`,
      [p.owner, p.kind, toMoneyString(p.amount)],
    );
    await tx.query("INSERT INTO ledger_entries (transaction_id, account_id, amount) VALUES ($1, $2, $3)", [
      row.id,
      account.id,
      toMoneyString(p.amount),
    ]);
  }
  return true;
}

/** A member's account balances as they read them (credits positive), by kind. */
export async function balancesOf(db: Db, ownerId: string): Promise<Record<AccountKind, string>> {
  const rows = await db.query<{ kind: AccountKind; balance: string }>(
    "SELECT kind, (-balance)::numeric(20,2)::text AS balance FROM ledger_accounts WHERE owner_id = $1",
    [ownerId],
  );
  const out = {
    pending: "0.00",
    available: "0.00",
    withdrawing: "0.00",
    paid_out: "0.00",
    withheld_tax: "0.00",
    commission_expense: "0.00",
    fee_income: "0.00",
  } as Record<AccountKind, string>;
  for (const r of rows) out[r.kind] = r.balance;
  return out;
}
