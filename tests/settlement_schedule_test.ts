import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { closeDuePeriods } from "../services/settlement.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("closeDuePeriods() closes each ended monthly period once, as the system", opts, async () => {
  const [tx] = await app.db.query<{ id: string }>(
    "INSERT INTO ledger_transactions (kind, ref) VALUES ('test', 't1') RETURNING id",
  );
  const [account] = await app.db.query<{ id: string }>(
    "SELECT id FROM ledger_accounts WHERE owner_id IS NULL AND kind = 'fee_income'",
  );
  await app.db.query(
    "INSERT INTO ledger_entries (transaction_id, account_id, amount, created_at) VALUES ($1, $2, 0, '2026-09-10T00:00:00Z')",
    [
      tx.id,
      account.id,
    ],
  );
  const now = new Date("2026-11-21T00:00:00Z");
  assert.equal(await closeDuePeriods(app.db, now, "monthly"), 2);
  const periods = await app.db.query<{ starts_at: Date; ends_at: Date; closed_by: string | null }>(
    "SELECT starts_at, ends_at, closed_by FROM settlement_periods ORDER BY starts_at",
  );
  assert.deepEqual(
    periods.map((p) => [new Date(p.starts_at).toISOString(), new Date(p.ends_at).toISOString(), p.closed_by]),
    [
      ["2026-08-31T16:00:00.000Z", "2026-09-30T16:00:00.000Z", null],
      ["2026-09-30T16:00:00.000Z", "2026-10-31T16:00:00.000Z", null],
    ],
  );
  assert.equal(await closeDuePeriods(app.db, now, "monthly"), 0, "nothing twice");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
