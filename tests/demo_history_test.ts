import assert from "node:assert/strict";
import { openTestDb } from "./helpers.ts";
import type { Db } from "../db/db.ts";
import { appConfig } from "../fresh.config.ts";
import { DEMO_DISTRIBUTOR, seedDemoData } from "../services/demo_data.ts";
import { dashboardSnapshot } from "../services/portal.ts";
import { linkStats } from "../services/promote.ts";
import { notificationsOf } from "../services/notifications.ts";
import { analyticsSnapshot } from "../services/analytics.ts";
import { createShop } from "../services/shop.ts";
import { Scheduler } from "../services/scheduler.ts";
import { createLogger } from "../lib/log.ts";
import { checkStatement } from "../domain/ledger/statement_check.ts";
import { shopCalendar } from "../domain/shop_time.ts";
import { DEFAULT_PLAN } from "../domain/commission/plan.ts";
import { Dispatcher } from "../realtime/dispatcher.ts";
import type { Server } from "socket.io";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Rows a reconciliation query finds wrong (each query returns only the rows that do not add up). */
async function wrong(db: Db, sql: string, params: unknown[] = []): Promise<unknown[]> {
  return [...await db.query(sql, params)];
}

Deno.test(
  "the demo history (90 days through the use-cases) reconciles: ledger, commission, statements, periods, teams, stock, points",
  opts,
  async (t) => {
    const { db, close } = await openTestDb();
    try {
      const now = new Date();
      const seeded = await seedDemoData(db, appConfig.demo, { now, strict: true });
      assert.ok(seeded.history, "the history was written");
      assert.ok(seeded.history.orders > 400, `${seeded.history.orders} orders`);

      await t.step(
        "every ledger transaction balances and every member account's balance is the sum of its entries",
        async () => {
          assert.deepEqual(
            await wrong(
              db,
              "SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0",
            ),
            [],
          );
          assert.deepEqual(
            await wrong(
              db,
              `SELECT a.id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
              WHERE a.owner_id IS NOT NULL GROUP BY a.id, a.balance HAVING a.balance <> coalesce(sum(e.amount), 0)`,
            ),
            [],
          );
          // Every commission line, release and claw-back is posted exactly as recorded.
          assert.deepEqual(
            await wrong(
              db,
              `SELECT l.id FROM commission_lines l
               LEFT JOIN ledger_transactions t ON t.kind = 'commission' AND t.ref = 'line:' || l.id
               LEFT JOIN ledger_entries e ON e.transaction_id = t.id
               LEFT JOIN ledger_accounts a ON a.id = e.account_id AND a.owner_id = l.beneficiary_id AND a.kind = 'pending'
              GROUP BY l.id, l.amount HAVING coalesce(-sum(e.amount) FILTER (WHERE a.id IS NOT NULL), 0) <> l.amount`,
            ),
            [],
          );
          assert.deepEqual(
            await wrong(
              db,
              `SELECT l.id FROM commission_lines l JOIN commission_releases r ON r.commission_line_id = l.id
              WHERE l.amount - coalesce((SELECT sum(x.amount) FROM commission_reversals x WHERE x.commission_line_id = l.id), 0) > 0
                AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.kind = 'release' AND t.ref = 'line:' || l.id)`,
            ),
            [],
          );
          // No member's pending money is negative; available may be (a claw-back after payout) but is not here.
          assert.deepEqual(
            await wrong(
              db,
              "SELECT id FROM ledger_accounts WHERE owner_id IS NOT NULL AND kind = 'pending' AND balance > 0",
            ),
            [],
          );
        },
      );

      await t.step("commission follows the plan: tiers by the referral tree, rates, bases and the cap", async () => {
        const rates = DEFAULT_PLAN.tiers.map((r) => r.rate);
        assert.deepEqual(
          await wrong(
            db,
            `SELECT l.id FROM commission_lines l
               JOIN order_items i ON i.id = l.order_item_id
               JOIN orders o ON o.id = l.order_id
              WHERE l.buyer_id <> o.user_id OR i.order_id <> l.order_id
                 OR NOT EXISTS (SELECT 1 FROM referral_paths rp WHERE rp.descendant_id = l.buyer_id
                                   AND rp.ancestor_id = l.beneficiary_id AND rp.depth = l.tier)
                 OR l.base <> i.line_total OR l.rate <> ($1::numeric[])[l.tier]
                 OR l.amount <> round(l.base * l.rate, 2) OR l.plan_version <> 1`,
            [`{${rates.join(",")}}`],
          ),
          [],
        );
        assert.deepEqual(
          await wrong(
            db,
            `SELECT i.id FROM order_items i JOIN commission_lines l ON l.order_item_id = i.id
              GROUP BY i.id, i.line_total HAVING sum(l.amount) > round(i.line_total * $1::numeric, 2)`,
            [DEFAULT_PLAN.capRate],
          ),
          [],
        );
        const tiers = await db.query<{ tier: number }>("SELECT DISTINCT tier FROM commission_lines ORDER BY tier");
        assert.deepEqual(tiers.map((r) => r.tier), [1, 2, 3]);
        // Refunds claw back in proportion, never more than the line.
        assert.deepEqual(
          await wrong(
            db,
            `SELECT l.id FROM commission_lines l JOIN commission_reversals r ON r.commission_line_id = l.id
              GROUP BY l.id, l.amount HAVING sum(r.amount) > l.amount`,
          ),
          [],
        );
        const [claws] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM commission_reversals");
        assert.ok(claws.n > 0, "refunds clawed commission back");
      });

      await t.step(
        "orders add up: lines plus shipping are the total; spend, team figures and visits follow them",
        async () => {
          assert.deepEqual(
            await wrong(
              db,
              `SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id
              GROUP BY o.id, o.total, o.shipping HAVING sum(i.line_total) + o.shipping <> o.total`,
            ),
            [],
          );
          // Cumulative spend: what was paid less what approved refunds gave back.
          assert.deepEqual(
            await wrong(
              db,
              `SELECT u.id FROM users u WHERE u.total_spent <> greatest(
               coalesce((SELECT sum(o.total) FROM orders o WHERE o.user_id = u.id AND o.paid_at IS NOT NULL), 0)
               - coalesce((SELECT sum(r.amount + r.shipping_refund) FROM refunds r
                            WHERE r.user_id = u.id AND r.status = 'approved' AND r.kind <> 'exchange'), 0), 0)`,
            ),
            [],
          );
          // Team sales per day and tier (0: the member's own) are the paid orders net of refunds.
          assert.deepEqual(
            await wrong(
              db,
              `WITH paid AS (
               SELECT o.id, o.user_id, (o.paid_at AT TIME ZONE $1)::date AS day,
                      o.total - coalesce((SELECT sum(r.amount + r.shipping_refund) FROM refunds r
                                           WHERE r.order_id = o.id AND r.status = 'approved' AND r.kind <> 'exchange'), 0) AS net
                 FROM orders o WHERE o.paid_at IS NOT NULL),
             expected AS (
               SELECT p.user_id AS ancestor_id, 0 AS depth, p.day, sum(p.net) AS sales, count(*) AS orders FROM paid p
                GROUP BY 1, 2, 3
               UNION ALL
               SELECT rp.ancestor_id, rp.depth, p.day, sum(p.net), count(*) FROM paid p
                 JOIN referral_paths rp ON rp.descendant_id = p.user_id GROUP BY 1, 2, 3)
             SELECT coalesce(e.ancestor_id, d.ancestor_id) AS ancestor_id FROM expected e
               FULL JOIN (SELECT * FROM team_daily WHERE orders <> 0 OR sales <> 0) d
                 ON d.ancestor_id = e.ancestor_id AND d.depth = e.depth AND d.day = e.day
              WHERE d.sales IS DISTINCT FROM e.sales OR d.orders IS DISTINCT FROM e.orders::int`,
              [appConfig.timeZone],
            ),
            [],
          );
          assert.deepEqual(
            await wrong(
              db,
              `SELECT o.id FROM orders o WHERE o.paid_at IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM daily_visitors v WHERE v.day = (o.paid_at AT TIME ZONE $1)::date AND v.visitor = 'u:' || o.user_id)`,
              [appConfig.timeZone],
            ),
            [],
          );
        },
      );

      await t.step("statements add up to their lines and periods follow one another", async () => {
        const statements = await db.query<
          {
            id: string;
            user_id: string;
            opening: string;
            credits: string;
            reversals: string;
            withdrawals: string;
            closing: string;
            lines: { kind: "commission" | "reversal" | "withdrawal"; amount: string }[];
          }
        >("SELECT s.* FROM statements s JOIN settlement_periods p ON p.id = s.period_id ORDER BY p.starts_at, s.user_id");
        assert.ok(statements.length > 50, `${statements.length} statements`);
        for (const s of statements) {
          assert.ok(checkStatement(s).ok, `statement ${s.id}: ${JSON.stringify(checkStatement(s))}`);
        }
        const periods = await db.query<{ starts_at: Date; ends_at: Date; closed_at: Date; watermark: string }>(
          "SELECT starts_at, ends_at, closed_at, watermark FROM settlement_periods ORDER BY starts_at",
        );
        assert.ok(periods.length >= 2, `${periods.length} closed periods`);
        periods.forEach((p, i) => {
          assert.ok(new Date(p.closed_at) >= new Date(p.ends_at), "closed after it ended");
          assert.ok(new Date(p.ends_at) <= now);
          if (i === 0) return;
          assert.equal(new Date(p.starts_at).getTime(), new Date(periods[i - 1].ends_at).getTime(), "contiguous");
          assert.ok(Number(p.watermark) >= Number(periods[i - 1].watermark));
        });
        // A period's closing balance is the next one's opening, and the ledger agrees with both.
        assert.deepEqual(
          await wrong(
            db,
            `WITH s AS (SELECT s.user_id, s.opening, s.closing, p.watermark,
                               lag(s.closing) OVER (PARTITION BY s.user_id ORDER BY p.starts_at) AS before,
                               lag(p.watermark) OVER (PARTITION BY s.user_id ORDER BY p.starts_at) AS prior
                          FROM statements s JOIN settlement_periods p ON p.id = s.period_id)
             SELECT s.user_id FROM s
              WHERE (s.before IS NOT NULL AND s.before <> s.opening)
                 OR s.closing <> (SELECT coalesce(-sum(e.amount), 0) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                                   WHERE a.owner_id = s.user_id AND a.kind IN ('pending', 'available', 'withdrawing')
                                     AND e.id <= s.watermark)`,
          ),
          [],
        );
      });

      await t.step(
        "team counts match the referral tree; the demo distributor's team has several hundred members",
        async () => {
          assert.deepEqual(
            await wrong(
              db,
              `WITH actual AS (SELECT ancestor_id, depth, count(*)::int AS n FROM referral_paths GROUP BY ancestor_id, depth)
             SELECT a.ancestor_id FROM actual a FULL JOIN team_counts c ON c.ancestor_id = a.ancestor_id AND c.depth = a.depth
              WHERE coalesce(c.members, 0) <> coalesce(a.n, 0)`,
            ),
            [],
          );
          assert.deepEqual(
            await wrong(
              db,
              `SELECT c.ancestor_id FROM team_counts c
              WHERE c.members <> (SELECT coalesce(sum(new_members), 0) FROM team_daily d
                                   WHERE d.ancestor_id = c.ancestor_id AND d.depth = c.depth)`,
            ),
            [],
          );
          const tiers = await db.query<{ depth: number; members: number }>(
            `SELECT c.depth, c.members FROM team_counts c JOIN users u ON u.id = c.ancestor_id WHERE u.email = $1 ORDER BY c.depth`,
            [DEMO_DISTRIBUTOR.email],
          );
          assert.equal(tiers.length, 3);
          assert.ok(tiers.every((t) => t.members >= 10), JSON.stringify(tiers));
          assert.ok(tiers.reduce((n, t) => n + t.members, 0) >= 300, JSON.stringify(tiers));
        },
      );

      await t.step(
        "stock: movements sum to each SKU's stock and reservations, never negative; products sum their SKUs",
        async () => {
          assert.deepEqual(
            await wrong(
              db,
              `SELECT s.id FROM product_skus s LEFT JOIN stock_movements m ON m.sku_id = s.id
              GROUP BY s.id, s.stock, s.reserved
             HAVING s.stock <> coalesce(sum(m.on_hand_delta), 0) OR s.reserved <> coalesce(sum(m.reserved_delta), 0)
                 OR s.stock < 0 OR s.reserved < 0 OR s.reserved > s.stock`,
            ),
            [],
          );
          assert.deepEqual(
            await wrong(
              db,
              `SELECT p.id FROM products p JOIN product_skus s ON s.product_id = p.id AND s.archived_at IS NULL
              GROUP BY p.id HAVING p.stock <> sum(s.stock) OR p.reserved <> sum(s.reserved)`,
            ),
            [],
          );
          // What is reserved is what unpaid orders hold.
          assert.deepEqual(
            await wrong(
              db,
              `SELECT s.id FROM product_skus s WHERE s.reserved <> coalesce((SELECT sum(i.quantity) FROM order_items i
               JOIN orders o ON o.id = i.order_id WHERE i.sku_id = s.id AND o.status = 'pending_payment'), 0)`,
            ),
            [],
          );
        },
      );

      await t.step("points balances equal their history and coupons were claimed and used", async () => {
        assert.deepEqual(
          await wrong(
            db,
            `SELECT u.id FROM users u WHERE u.points_balance < 0
                OR u.points_balance <> coalesce((SELECT sum(delta) FROM points_ledger l WHERE l.user_id = u.id), 0)`,
          ),
          [],
        );
        const [p] = await db.query<{ earned: number; spent: number }>(
          `SELECT count(*) FILTER (WHERE reason = 'earn')::int AS earned, count(*) FILTER (WHERE reason = 'spend')::int AS spent
             FROM points_ledger`,
        );
        assert.ok(p.earned > 100 && p.spent > 0, JSON.stringify(p));
        const [c] = await db.query<{ claimed: number; used: number; counted: number }>(
          `SELECT count(*)::int AS claimed, count(used_at)::int AS used,
                  (SELECT sum(claimed_count)::int FROM coupons) AS counted FROM coupon_claims`,
        );
        assert.ok(c.claimed > 50 && c.used > 5, JSON.stringify(c));
        assert.equal(c.counted, c.claimed);
      });

      await t.step("every kind of after-sales request, withdrawal and rank change is there", async () => {
        const kinds = await db.query<{ kind: string; status: string }>(
          "SELECT DISTINCT kind, status FROM refunds ORDER BY 1, 2",
        );
        for (const kind of ["refund_only", "return_refund", "exchange"]) {
          assert.ok(kinds.some((k) => k.kind === kind && k.status === "approved"), `${kind}: ${JSON.stringify(kinds)}`);
        }
        assert.ok(kinds.some((k) => k.status === "rejected"));
        const withdrawals = await db.query<{ status: string }>(
          "SELECT DISTINCT w.status FROM withdrawals w JOIN users u ON u.id = w.user_id WHERE u.email = $1 ORDER BY 1",
          [DEMO_DISTRIBUTOR.email],
        );
        assert.deepEqual(withdrawals.map((w) => w.status), ["paid", "rejected", "requested"]);
        const [ranks] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM rank_changes");
        assert.ok(ranks.n > 3);
        const statuses = await db.query<{ status: string }>("SELECT DISTINCT status FROM orders");
        for (const s of ["pending_payment", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"]) {
          assert.ok(statuses.some((x) => x.status === s), `an order ${s}`);
        }
        const [clicks] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM referral_visits");
        assert.ok(clicks.n > 100);
      });

      await t.step("the history is caught up: the scheduler's first sweep finds nothing due", async () => {
        const shop = createShop(db, "test-secret", undefined, () => now);
        const done = await new Scheduler(shop, createLogger("silent")).sweepDue();
        assert.deepEqual(done, { expired: 0, delivered: 0, completed: 0, released: 0 });
      });

      await t.step("dashboards have life: the distributor's month and charts, the manager's 30 days", async () => {
        const [root] = await db.query<{ id: string }>("SELECT id::text FROM users WHERE email = $1", [
          DEMO_DISTRIBUTOR.email,
        ]);
        const dash = await dashboardSnapshot(db, root.id, now);
        if (shopCalendar(now).day >= 3) assert.ok(Number(dash.commission.month) > 0, dash.commission.month);
        const charted = (series: string[][]) => series.flat().filter((v) => Number(v) > 0).length;
        assert.ok(charted(dash.salesSeries) > 40, "30-day team sales chart");
        assert.ok(charted(dash.commissionSeries) > 30, "30-day commission chart");
        assert.ok(dash.tiers.reduce((n, t) => n + t.members, 0) >= 300);
        assert.ok(Number(dash.commission.available) + Number(dash.commission.paid) > 0);
        assert.ok(dash.feed.length >= 10, "a feed of sales and commissions");
        const analytics = await analyticsSnapshot(db, now);
        assert.ok(Number(analytics.gmv30) > 10_000, analytics.gmv30);
        assert.ok(analytics.topProducts.length >= 5);
        assert.ok(analytics.topDistributors.length >= 5);
        assert.ok(Number(analytics.commission30) > 0);
      });

      await t.step("referred buyers arrive through a link click: the promotion stats have orders", async () => {
        const [root] = await db.query<{ id: string }>("SELECT id::text FROM users WHERE email = $1", [
          DEMO_DISTRIBUTOR.email,
        ]);
        const stats = await linkStats(db, root.id);
        assert.ok(stats.totals.orders >= 10, `${stats.totals.orders} orders through the links`);
        assert.ok(stats.totals.orders < stats.totals.clicks, "fewer orders than clicks");
        const converted = stats.products.filter((p) => p.orders > 0 && p.clicks > 0);
        assert.ok(converted.length >= 3, `${converted.length} products with clicks and orders`);
        // Every attributed order's buyer clicked that owner's link before ordering.
        assert.deepEqual(
          await wrong(
            db,
            `SELECT o.id FROM orders o WHERE o.referrer_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM referral_visits v WHERE v.referrer_id = o.referrer_id AND v.visitor = 'u:' || o.user_id
                  AND v.at <= o.created_at)`,
          ),
          [],
        );
      });

      await t.step("commission arrivals: never ¥0.00, normal priority, citing the order number", async () => {
        const zero = await db.query<{ id: string }>(
          `SELECT id FROM events WHERE type = 'commission' AND (data->>'amount')::numeric = 0`,
        );
        assert.equal(zero.length, 0, "no commission event moves ¥0.00");
        const notes = await db.query<{ priority: string; body: string }>(
          "SELECT priority, body FROM notifications WHERE kind = 'commission_released'",
        );
        assert.ok(notes.length > 50, `${notes.length} arrivals`);
        assert.deepEqual(notes.filter((n) => n.priority !== "normal"), []);
        const [root] = await db.query<{ id: string }>("SELECT id::text FROM users WHERE email = $1", [
          DEMO_DISTRIBUTOR.email,
        ]);
        for (const locale of ["zh-CN", "en"] as const) {
          const { items } = await notificationsOf(db, root.id, locale, 500);
          const arrivals = items.filter((n) => n.kind === "commission_released");
          assert.ok(arrivals.length > 5);
          assert.deepEqual(arrivals.filter((n) => n.body.includes("¥0.00")), []);
          assert.deepEqual(arrivals.filter((n) => !/(订单|order) \d{16}$/.test(n.body)), [], "the order number");
        }
      });

      await t.step("the history's events are not sent live: the dispatcher starts after them", async () => {
        const sent: unknown[] = [];
        const io = { local: { to: () => ({ emit: (...args: unknown[]) => sent.push(args) }) } } as unknown as Server;
        const dispatcher = new Dispatcher(db, io, createLogger("silent"), 60_000);
        await dispatcher.start();
        await dispatcher.poke();
        await dispatcher.stop();
        assert.ok(dispatcher.cursor > 1000, `${dispatcher.cursor} history events published`);
        assert.deepEqual(sent, []);
        const [late] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE at > $1", [now]);
        assert.equal(late.n, 0, "every event carries the moment it describes");
      });
    } finally {
      await close();
    }
  },
);
