import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { expirePoints } from "../services/orders.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

/** Members created in one statement, each with `points` earned a year ago (expired) and 50 still valid. */
async function members(tag: string, n: number, alreadyExpired: boolean): Promise<string[]> {
  const rows = await app.db.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash, referral_code, points_balance)
     SELECT $1 || g || '@example.com', '积分' || g, 'x', upper($1) || g, $3
       FROM generate_series(1, $2::int) g ORDER BY g RETURNING id`,
    [tag, n, alreadyExpired ? 50 : 150],
  );
  const ids = rows.map((r) => String(r.id));
  await app.db.query(
    `INSERT INTO points_ledger (user_id, delta, reason, expires_at)
     SELECT id, 100, 'earn', now() - interval '1 day' FROM unnest($1::bigint[]) id
     UNION ALL SELECT id, 50, 'earn', now() + interval '300 days' FROM unnest($1::bigint[]) id`,
    [ids],
  );
  if (alreadyExpired) {
    await app.db.query(
      "INSERT INTO points_ledger (user_id, delta, reason) SELECT id, -100, 'expire' FROM unnest($1::bigint[]) id",
      [ids],
    );
  }
  return ids;
}

Deno.test(
  "points expiry reaches every member: id order with a cursor, a bounded batch per sweep, resuming",
  opts,
  async () => {
    // 300 members whose expired points were already taken (still holding valid points) come first,
    // then 120 whose points are due: an unordered 200 per sweep could keep picking the first ones.
    await members("done", 300, true);
    const due = await members("due", 120, false);
    let total = 0;
    const sweeps: number[] = [];
    for (let i = 0; i < 4; i++) {
      const n = await expirePoints(app.shop, { batch: 100, batches: 2 });
      sweeps.push(n);
      total += n;
    }
    assert.equal(total, 120 * 100, `every due member expired once (${sweeps.join(", ")})`);
    assert.ok(sweeps.filter((n) => n > 0).length >= 2, "bounded: it took more than one sweep");
    const [left] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE id = ANY($1::bigint[]) AND points_balance <> 50",
      [due],
    );
    assert.equal(left.n, 0);
    assert.equal(await expirePoints(app.shop), 0, "nothing left to expire");
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
