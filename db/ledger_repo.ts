import type { Db } from "./db.ts";
import { type AccountKind, isBalanced, type Posting } from "../domain/ledger/postings.ts";
import { toMoneyString } from "../domain/money.ts";

/** Advisory lock between ledger postings (shared) and settlement closing (exclusive). */
export const LEDGER_LOCK = 727_003;

/** One balanced ledger transaction to post: `(kind, ref)` is its natural key. */
export interface LedgerPosting {
  kind: string;
  ref: string;
  postings: Posting[];
}

const POST_SQL = `
  WITH input AS (
    SELECT x.* FROM jsonb_to_recordset($1::text::jsonb)
           AS x(kind text, ref text, owner bigint, account text, amount numeric, ord int),
         -- Shared with other postings, exclusive for closing a settlement period.
         (SELECT pg_advisory_xact_lock_shared(${LEDGER_LOCK})) AS l
  ),
  txs AS (
    INSERT INTO ledger_transactions (kind, ref)
    SELECT kind, ref FROM input GROUP BY kind, ref ORDER BY kind, ref
    ON CONFLICT (kind, ref) DO NOTHING RETURNING id, kind, ref
  ),
  live AS (SELECT i.*, t.id AS transaction_id FROM input i JOIN txs t ON t.kind = i.kind AND t.ref = i.ref),
  member_accounts AS (
    INSERT INTO ledger_accounts (owner_id, kind, balance)
    SELECT owner, account, sum(amount) FROM live WHERE owner IS NOT NULL
     GROUP BY owner, account ORDER BY owner, account
    ON CONFLICT (owner_id, kind) DO UPDATE SET balance = ledger_accounts.balance + EXCLUDED.balance
    RETURNING id, owner_id, kind
  ),
  accounts AS (
    SELECT id, owner_id, kind FROM member_accounts
    UNION ALL SELECT id, owner_id, kind FROM ledger_accounts WHERE owner_id IS NULL
  ),
  entries AS (
    INSERT INTO ledger_entries (transaction_id, account_id, amount)
    SELECT l.transaction_id, a.id, l.amount
      FROM live l JOIN accounts a ON a.owner_id IS NOT DISTINCT FROM l.owner AND a.kind = l.account
     ORDER BY l.transaction_id, l.ord
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM live)::int AS expected, (SELECT count(*) FROM entries)::int AS written,
         coalesce((SELECT jsonb_agg(jsonb_build_array(kind, ref)) FROM txs), '[]'::jsonb) AS posted`;

/**
 * Posts balanced transactions, each once: `(kind, ref)` is its natural key, so posting the same
 * business event again (a retry, a race) does nothing for it. One statement for the whole batch;
 * member accounts are locked in (owner, kind) order. Platform accounts (no owner) keep no running
 * balance (every checkout would queue on that one row): their balance is the sum of their entries.
 * Returns the `kind:ref` keys that were posted now.
 */
export async function postMany(tx: Db, batch: LedgerPosting[]): Promise<Set<string>> {
  if (batch.length === 0) return new Set();
  const rows: { kind: string; ref: string; owner: string | null; account: AccountKind; amount: string; ord: number }[] =
    [];
  for (const t of batch) {
    if (!isBalanced(t.postings)) throw new Error(`Cannot post ${t.kind} ${t.ref}: the transaction does not balance`);
    for (const p of t.postings) {
      rows.push({
        kind: t.kind,
        ref: t.ref,
        owner: p.owner,
        account: p.kind,
        amount: toMoneyString(p.amount),
        ord: rows.length,
      });
    }
  }
  const [result] = await tx.query<{ expected: number; written: number; posted: [string, string][] }>(POST_SQL, [
    JSON.stringify(rows),
  ]);
  if (result.expected !== result.written) {
    throw new Error("Cannot post: a platform ledger account is missing (run the migrations)");
  }
  return new Set(result.posted.map(([kind, ref]) => `${kind}:${ref}`));
}

/**
 * Posts one balanced transaction once; posting the same `(kind, ref)` again does nothing and
 * returns false.
 */
export async function post(tx: Db, kind: string, ref: string, postings: Posting[]): Promise<boolean> {
  return (await postMany(tx, [{ kind, ref, postings }])).size > 0;
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
