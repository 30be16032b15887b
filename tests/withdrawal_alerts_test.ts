import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { post } from "../db/ledger_repo.ts";
import { creditCommission, releaseCommission } from "../domain/ledger/postings.ts";
import { money } from "../domain/money.ts";

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
      html.match(new RegExp(`<tr[^>]*>(?:(?!</tr>).)*¥${amount.replace(".", "\\.")}(?:(?!</tr>).)*</tr>`, "s"))?.[0] ??
        "";
    assert.doesNotMatch(row("100.00"), /badge-warn/);
    assert.doesNotMatch(row("120.00"), /badge-warn/);
    assert.match(row("130.00"), /24 小时内多次提现/);
    assert.doesNotMatch(row("130.00"), /大额提现/);
    assert.match(row("6000.00"), /大额提现/);
    assert.doesNotMatch(row("6000.00"), /多次提现/, "four days later it is not frequent");
  },
);

Deno.test(
  "an unusual request is announced to managers at once and listed on the console home until decided",
  opts,
  async () => {
    const admin = app.client();
    await admin.login("admin@test.example", "admin-password-1");
    const member = app.client();
    const user = await member.register("big-payout@example.com", "大额会员");
    // Commission that has become available, posted to the real ledger.
    await app.db.transaction(async (tx) => {
      await post(tx, "commission", `test:${user.id}`, creditCommission(user.id, money("9000.00")));
      await post(tx, "release", `test:${user.id}`, releaseCommission(user.id, money("9000.00")));
    });
    const small = await member.json("POST", "/api/me/withdrawals", {
      json: { amount: "100.00" },
      headers: { "idempotency-key": "small" },
    });
    assert.equal(small.status, 201, JSON.stringify(small.body));
    const large = await member.json<{ withdrawal: { id: string } }>("POST", "/api/me/withdrawals", {
      json: { amount: "6000.00" },
      headers: { "idempotency-key": "large" },
    });
    assert.equal(large.status, 201, JSON.stringify(large.body));
    const announced = await app.db.query<{ data: { withdrawalId: string; reasons: string[]; name: string } }>(
      "SELECT data FROM events WHERE type = 'withdrawal_unusual' ORDER BY id",
    );
    assert.deepEqual(announced.map((e) => [e.data.withdrawalId, e.data.reasons, e.data.name]), [
      [large.body.withdrawal.id, ["large"], "大额会员"],
    ], "only the large one, once");
    const home = await (await admin.request("GET", "/admin")).text();
    const island = home.match(/data-island="WithdrawalAlerts"[\s\S]*?<\/script>/)?.[0] ?? home;
    assert.match(island, new RegExp(`"withdrawalId":"${large.body.withdrawal.id}"`));
    // Finance (with withdrawals.read) sees the card; support does not.
    const support = app.client();
    const staff = await support.register("support-w@example.com", "客服");
    await admin.json("POST", `/api/admin/users/${staff.id}/role`, { json: { role: "manager" } });
    assert.doesNotMatch(await (await support.request("GET", "/admin")).text(), /withdrawal-alerts/);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
