import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "withdrawals page: large requests and the third within 24 h are flagged with their reason",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const member = await app.client().register("payout@example.com", "提现会员");
    // Rows as requests leave them (the ledger side is not needed to show the list).
    const insert = (amount: string, at: string, key: string) =>
      app.db.query(
        `INSERT INTO withdrawals (user_id, amount, fee, tax, net, status, idempotency_key, created_at)
       VALUES ($1, $2, '0.00', '0.00', $2, 'requested', $3, $4)`,
        [member.id, amount, key, at],
      );
    await insert("100.00", "2026-11-01T01:00:00Z", "a"); // first of three within a day
    await insert("120.00", "2026-11-01T05:00:00Z", "b"); // second: fine
    await insert("130.00", "2026-11-01T09:00:00Z", "c"); // third within 24 h: frequent
    await insert("6000.00", "2026-11-05T09:00:00Z", "d"); // alone, but large
    const res = await admin.request("GET", "/admin/withdrawals");
    assert.equal(res.status, 200);
    const html = await res.text();
    const row = (amount: string) =>
      html.match(new RegExp(`<tr>(?:(?!</tr>).)*¥${amount.replace(".", "\\.")}(?:(?!</tr>).)*</tr>`, "s"))?.[0] ?? "";
    assert.doesNotMatch(row("100.00"), /badge-warn/);
    assert.doesNotMatch(row("120.00"), /badge-warn/);
    assert.match(row("130.00"), /24 小时内多次提现/);
    assert.doesNotMatch(row("130.00"), /大额提现/);
    assert.match(row("6000.00"), /大额提现/);
    assert.doesNotMatch(row("6000.00"), /多次提现/, "four days later it is not frequent");
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
