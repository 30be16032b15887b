import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { demoteInactive } from "../services/programme.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const DAY = 86_400_000;

async function rank(id: string): Promise<string> {
  const [row] = await app.db.query<{ rank: string }>("SELECT rank FROM users WHERE id = $1", [id]);
  return row.rank;
}

Deno.test(
  "the inactivity sweep follows the plan's period and steps down once per full period, however often it runs",
  opts,
  async () => {
    const put = await admin.json("PUT", "/api/admin/commission-plan", {
      json: {
        tiers: [{ rate: "0.10" }],
        base: "paid_amount",
        eligibility: "everyone",
        selfPurchase: false,
        holdDays: 7,
        rankRules: {
          promotions: [
            { rank: "silver", personalSales: "0", teamSales: "2000.00", activeDirectCustomers: 3 },
            { rank: "gold", personalSales: "0", teamSales: "20000.00", activeDirectCustomers: 10 },
          ],
          demoteAfterInactiveDays: 30,
        },
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const client = app.client();
    const member = await client.register("gold@example.com", "金牌");
    const now = new Date("2026-06-15T04:00:00Z");
    await app.db.query("UPDATE users SET rank = 'gold', role = 'distributor' WHERE id = $1", [member.id]);
    // The team's last sale was 40 days ago; a quiet gold with a fresh sale stays.
    await app.db.query(
      "INSERT INTO team_daily (ancestor_id, depth, day, sales, orders) VALUES ($1, 1, $2::date, 100, 1)",
      [member.id, new Date(now.getTime() - 40 * DAY).toISOString().slice(0, 10)],
    );

    assert.equal(await demoteInactive(app.db, now), 1, "40 days without sales is past the plan's 30");
    assert.equal(await rank(member.id), "silver");
    // The same figures again, the same hour or the next: no second step.
    assert.equal(await demoteInactive(app.db, now), 0);
    assert.equal(await demoteInactive(app.db, new Date(now.getTime() + 2 * 3600_000)), 0);
    assert.equal(await demoteInactive(app.db, new Date(now.getTime() + 29 * DAY)), 0);
    assert.equal(await rank(member.id), "silver");
    // A full period after the demotion, still no sale: one more step.
    assert.equal(await demoteInactive(app.db, new Date(now.getTime() + 30 * DAY)), 1);
    assert.equal(await rank(member.id), "standard");
    const changes = await app.db.query<{ from_rank: string; to_rank: string }>(
      "SELECT from_rank, to_rank FROM rank_changes WHERE user_id = $1 ORDER BY id",
      [member.id],
    );
    assert.deepEqual(changes.map((c) => `${c.from_rank}→${c.to_rank}`), ["gold→silver", "silver→standard"]);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
