import assert from "node:assert/strict";
import { openTestDb } from "./helpers.ts";
import { needsDemoData, seedDemoData } from "../services/demo_data.ts";
import { appConfig } from "../fresh.config.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "seedDemoData() creates 200 products in 8+ categories and a 2,000-member tree at least 5 generations deep",
  opts,
  async () => {
    const { db, close } = await openTestDb();
    try {
      assert.equal(await needsDemoData(db), true);
      // The catalogue and the members only: tests/demo_history_test.ts seeds and checks the history.
      await seedDemoData(db, { ...appConfig.demo, history: undefined });
      const [p] = await db.query<{ products: number; categories: number }>(
        "SELECT count(*)::int AS products, count(DISTINCT category_id)::int AS categories FROM products",
      );
      assert.equal(p.products, 200);
      assert.ok(p.categories >= 8);
      const [m] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE upline_id IS NOT NULL");
      assert.ok(m.n >= 2000);
      const [depth] = await db.query<{ d: number }>(
        `WITH RECURSIVE chain AS (
         SELECT id, 0 AS d FROM users WHERE upline_id IS NULL
         UNION ALL SELECT u.id, c.d + 1 FROM users u JOIN chain c ON u.upline_id = c.id)
       SELECT max(d)::int AS d FROM chain`,
      );
      assert.ok(depth.d >= 5, `depth ${depth.d}`);
      // The closure table agrees with the upline links for every tier.
      const [mismatch] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users u
         LEFT JOIN users p1 ON p1.id = u.upline_id
         LEFT JOIN users p2 ON p2.id = p1.upline_id
         LEFT JOIN users p3 ON p3.id = p2.upline_id
        WHERE (SELECT count(*) FROM referral_paths r WHERE r.descendant_id = u.id)
              <> (CASE WHEN p1.id IS NULL THEN 0 WHEN p2.id IS NULL THEN 1 WHEN p3.id IS NULL THEN 2 ELSE 3 END)`,
      );
      assert.equal(mismatch.n, 0);
      assert.equal(await needsDemoData(db), false);
      assert.deepEqual(
        await seedDemoData(db),
        { products: 0, members: 0, history: null },
        "seeding twice does nothing",
      );
    } finally {
      await close();
    }
  },
);
