import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { DEMO_DISTRIBUTOR, seedDemoData } from "../services/demo_data.ts";
import { distributorOverview } from "../services/distributors_admin.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
await seedDemoData(app.db, { products: 6, members: 120, minDepth: 5 });
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");

/** Rows where the kept figures and a recount from the referral closure disagree. */
async function inconsistencies() {
  return [
    ...await app.db.query<{ ancestor_id: string; depth: number; kept: number | null; actual: number | null }>(
      `WITH actual AS (SELECT ancestor_id, depth, count(*)::int AS n FROM referral_paths GROUP BY ancestor_id, depth)
     SELECT coalesce(a.ancestor_id, c.ancestor_id)::text AS ancestor_id, coalesce(a.depth, c.depth) AS depth,
            c.members AS kept, a.n AS actual
       FROM actual a FULL JOIN team_counts c ON c.ancestor_id = a.ancestor_id AND c.depth = a.depth
      WHERE coalesce(c.members, 0) <> coalesce(a.n, 0)`,
    ),
  ];
}

Deno.test(
  "seeded demo data keeps team_counts and team_daily joins consistent with the referral tree",
  opts,
  async () => {
    assert.deepEqual(await inconsistencies(), []);
    const [joins] = await app.db.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM team_counts c
      WHERE c.members <> (SELECT coalesce(sum(new_members), 0) FROM team_daily d
                           WHERE d.ancestor_id = c.ancestor_id AND d.depth = c.depth)`,
    );
    assert.equal(joins.bad, 0, "every member counted once as a new member of each upline tier");
    // The dashboard's tier counts and "my team" agree for the demo distributor.
    const dist = app.client();
    assert.equal((await dist.login(DEMO_DISTRIBUTOR.email, DEMO_DISTRIBUTOR.password)).status, 200);
    const team = await dist.json<{ totals: { members: number } }>("GET", "/api/me/team?depth=3");
    const [kept] = await app.db.query<{ n: number }>(
      "SELECT coalesce(sum(members), 0)::int AS n FROM team_counts c JOIN users u ON u.id = c.ancestor_id WHERE u.email = $1",
      [DEMO_DISTRIBUTOR.email],
    );
    assert.ok(team.body.totals.members > 2);
    assert.equal(kept.n, team.body.totals.members);
    // Managers see every member with a team, not only the one with the distributor role.
    const { profiles } = await distributorOverview(app.db);
    assert.ok(profiles.length > 5, `${profiles.length} distributors listed`);
  },
);

Deno.test("moving a member and registering new ones keep team_counts consistent", opts, async () => {
  const [member] = await app.db.query<{ id: string }>(
    `SELECT u.id::text FROM users u WHERE u.upline_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM referral_paths rp WHERE rp.ancestor_id = u.id AND rp.depth = 2)
      ORDER BY u.id DESC LIMIT 1`,
  );
  const [target] = await app.db.query<{ id: string }>(
    `SELECT u.id::text FROM users u WHERE u.id <> $1 AND u.role <> 'manager'
        AND NOT EXISTS (SELECT 1 FROM referral_paths rp WHERE rp.ancestor_id = $1 AND rp.descendant_id = u.id)
        AND u.id <> (SELECT upline_id FROM users WHERE id = $1)
      ORDER BY u.id LIMIT 1`,
    [member.id],
  );
  const moved = await admin.json("POST", `/api/admin/users/${member.id}/upline`, {
    json: { uplineId: target.id, password: "admin-password-1" },
  });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.deepEqual(await inconsistencies(), []);
  const [code] = await app.db.query<{ referral_code: string }>("SELECT referral_code FROM users WHERE id = $1", [
    member.id,
  ]);
  await app.client().register("newcomer@example.com", "新人", { referralCode: code.referral_code });
  assert.deepEqual(await inconsistencies(), []);
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
