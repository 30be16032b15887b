-- The platform's own ledger accounts exist from the start. Postings no longer keep their running
-- balance (a row every checkout would lock): a platform account's balance is the sum of its entries.
INSERT INTO ledger_accounts (owner_id, kind) VALUES (NULL, 'commission_expense'), (NULL, 'fee_income')
  ON CONFLICT (owner_id, kind) DO NOTHING;
