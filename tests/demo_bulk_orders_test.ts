import assert from "node:assert/strict";
import { openTestDb } from "./helpers.ts";
import type { Db } from "../db/db.ts";
import { historyDb } from "../db/history_db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { CryptoBox } from "../lib/crypto_box.ts";
import { createLogger } from "../lib/log.ts";
import { ensureManager } from "../services/accounts.ts";
import { keepCheckoutAddress } from "../services/address_book.ts";
import { seedDemoData } from "../services/demo_data.ts";
import {
  type BulkOrder,
  type BulkSku,
  confirmShippedOrders,
  shipPaidOrders,
  sweepOrders,
  writePaidOrders,
} from "../services/demo_bulk_orders.ts";
import { confirmReceipt, createOrder, shipOrder } from "../services/orders.ts";
import { receiveWebhook, startPayment } from "../services/payments.ts";
import type { SandboxProvider } from "../services/payment_provider.ts";
import { Scheduler } from "../services/scheduler.ts";
import { createShop } from "../services/shop.ts";
import { shopMidnight } from "../domain/shop_time.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const box = CryptoBox.development();
/** When the shop was seeded (its demo flash sales run for a few days from then). */
const SEEDED = shopMidnight(2026, 8, 1).getTime();
/** Day 0 of the scenario: after the flash sales, long enough ago for every order to complete before now. */
const DAY0 = SEEDED + 7 * DAY;

/** The scenario: who buys what when, who ships and who confirms receipt (the rest is received by the sweep). */
interface Plan {
  buyer: UserRow;
  order: BulkOrder;
  shipAt: number;
  carrier: string;
  trackingNumber: string;
  receivedAt: number | null;
}

async function shopWithMembers(): Promise<{ db: Db; close: () => Promise<void> }> {
  const test = await openTestDb();
  await ensureManager(test.db, "admin@test.example", "admin-password-1");
  await seedDemoData(test.db, { products: 24, members: 40, minDepth: 5 }, { now: new Date(SEEDED) });
  return test;
}

async function plan(db: Db): Promise<Plan[]> {
  // Members with three uplines, and SKUs of single- and multi-SKU products.
  const buyers = await db.query<UserRow>(
    `SELECT u.* FROM users u WHERE EXISTS (SELECT 1 FROM referral_paths rp WHERE rp.descendant_id = u.id AND rp.depth = 3)
      ORDER BY u.id LIMIT 4`,
  );
  const skus = (await db.query<
    {
      id: string;
      product_id: string;
      category_id: string;
      name: string;
      specs: Record<string, string>;
      price: string;
      cost_price: string;
    }
  >(
    `SELECT s.id::text, s.product_id::text, p.category_id::text, p.name, s.specs, s.price::text, s.cost_price::text
       FROM product_skus s JOIN products p ON p.id = s.product_id WHERE s.stock >= 20 ORDER BY s.price DESC, s.id`,
  )).map((s): BulkSku => ({
    id: s.id,
    productId: s.product_id,
    categoryId: s.category_id,
    name: s.name,
    specs: s.specs ?? {},
    price: s.price,
    costPrice: s.cost_price,
  }));
  assert.ok(buyers.length >= 3 && skus.length >= 8);
  const out: Plan[] = [];
  // The first buyer spends past the silver level with two orders: the second is priced at the member price.
  const orders = [
    { buyer: 0, at: 10.2, lines: [[0, 3], [1, 2]] },
    { buyer: 1, at: 11.5, lines: [[5, 1]] },
    { buyer: 2, at: 13.1, lines: [[6, 1], [7, 2], [2, 1]] },
    { buyer: 0, at: 20.4, lines: [[3, 1]] },
    { buyer: 3 % buyers.length, at: 21.9, lines: [[4, 2]] },
  ];
  orders.forEach((o, i) => {
    const placed = DAY0 + o.at * HOUR;
    const buyer = buyers[o.buyer];
    out.push({
      buyer,
      order: {
        buyerId: String(buyer.id),
        placedAt: new Date(placed),
        paidAt: new Date(placed + (3 + i) * 60_000),
        lines: o.lines.map(([sku, quantity]) => ({ sku: skus[sku], quantity })),
        address: { name: buyer.name, phone: `1380013800${i}`, line1: `人民路${i + 1}号`, city: "杭州" },
        key: `demo-${i + 1}`,
      },
      shipAt: DAY0 + DAY + (10 + i) * HOUR,
      carrier: "顺丰速运",
      trackingNumber: `SF00000000${i}`,
      receivedAt: i % 2 ? DAY0 + 3 * DAY + (9 + i) * HOUR : null,
    });
  });
  return out;
}

/** The sweeps of the scenario: at midnight and noon, until every order has completed. */
const SWEEPS = Array.from({ length: 40 }, (_, i) => DAY0 + 2 * DAY + i * 12 * HOUR + 5_000);

/** The scenario through the use-cases, each step at its moment. */
async function throughUseCases(db: Db, plans: Plan[]) {
  await db.transaction(async (tx) => {
    let t = DAY0;
    const now = () => new Date(t);
    const hdb = historyDb(tx, now);
    const shop = createShop(hdb, "secret", box, now);
    const [manager] = await hdb.query<UserRow>("SELECT * FROM users WHERE role = 'manager'");
    const seen = new Set<string>();
    for (const p of plans) {
      t = p.order.placedAt.getTime();
      const first = !seen.has(p.order.buyerId);
      seen.add(p.order.buyerId);
      const { order } = await createOrder(
        shop,
        p.buyer,
        {
          items: p.order.lines.map((l) => ({ productId: l.sku.productId, skuId: l.sku.id, quantity: l.quantity })),
          couponCode: undefined,
          pointsToUse: 0,
          address: p.order.address,
        },
        p.order.key,
        null,
        first ? (tx) => keepCheckoutAddress(tx, box, p.order.buyerId, p.order.address, false) : undefined,
      );
      t = p.order.paidAt.getTime();
      const payment = await startPayment(shop, String(order.id), p.buyer);
      const body = JSON.stringify({
        eventId: `e${order.id}`,
        paymentId: payment.id,
        amount: payment.amount,
        status: "succeeded",
      });
      assert.equal(await receiveWebhook(shop, body, await (shop.payments as SandboxProvider).sign(body)), "paid");
    }
    const ids = (await hdb.query<{ id: string }>("SELECT id::text FROM orders ORDER BY id")).map((r) => r.id);
    for (const [i, p] of plans.entries()) {
      t = p.shipAt;
      await shipOrder(shop, ids[i], manager, { carrier: p.carrier, trackingNumber: p.trackingNumber });
    }
    for (const [i, p] of plans.entries()) {
      if (p.receivedAt === null) continue;
      t = p.receivedAt;
      await confirmReceipt(shop, ids[i], p.buyer);
    }
    const scheduler = new Scheduler(shop, createLogger("silent"));
    for (const at of SWEEPS) {
      t = at;
      await scheduler.sweepDue();
    }
    await hdb.release();
  });
}

/** The same scenario written by the bulk writer, a batch per moment. */
async function inBulk(db: Db, plans: Plan[]) {
  await db.transaction(async (tx) => {
    let t = DAY0 + DAY - 10_000;
    const hdb = historyDb(tx, () => new Date(t));
    const [manager] = await hdb.query<UserRow>("SELECT * FROM users WHERE role = 'manager'");
    const ids = await writePaidOrders(hdb, box, plans.map((p) => p.order));
    t = DAY0 + DAY + 18 * HOUR;
    await shipPaidOrders(
      hdb,
      manager,
      plans.map((p, i) => ({
        orderId: ids[i],
        at: new Date(p.shipAt),
        carrier: p.carrier,
        trackingNumber: p.trackingNumber,
      })),
    );
    t = DAY0 + 4 * DAY - 30_000;
    await confirmShippedOrders(
      hdb,
      plans.flatMap((p, i) => p.receivedAt === null ? [] : [{ orderId: ids[i], at: new Date(p.receivedAt) }]),
    );
    for (const at of SWEEPS) {
      t = at;
      await sweepOrders(hdb, ids, new Date(t));
    }
    await hdb.release();
  });
}

/** Everything the scenario wrote, without what differs by design (random ids, sealed bytes, the outbox). */
async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => [...await db.query(sql)];
  return {
    orders: await q(
      `SELECT id, number, user_id, status, subtotal, discount, points_used, points_discount, shipping, total, coupon_id,
              address, referrer_id, idempotency_key, idempotency_fingerprint, expires_at, carrier, tracking_number,
              paid_at, shipped_at, delivered_at, completed_at, created_at, phone_hash, name_hash
         FROM orders ORDER BY id`,
    ),
    items: await q("SELECT * FROM order_items ORDER BY id"),
    timeline: await q(
      "SELECT order_id, from_status, to_status, actor, actor_id, note, at FROM order_transitions ORDER BY order_id, at, id",
    ),
    stock: await q(
      `SELECT product_id, sku_id, on_hand_delta, reserved_delta, reason, order_id, actor_id, at FROM stock_movements
        ORDER BY at, order_id, sku_id, reason`,
    ),
    skus: await q("SELECT id, stock, reserved, sales_count FROM product_skus ORDER BY id"),
    products: await q("SELECT id, stock, reserved, sales_count FROM products ORDER BY id"),
    payments: await q(
      `SELECT p.order_id, p.provider, p.amount, p.status, p.created_at, p.updated_at, e.status AS event, e.amount AS paid,
              e.outcome, e.received_at
         FROM payments p JOIN payment_events e ON e.payment_id = p.id ORDER BY p.order_id`,
    ),
    users: await q("SELECT id, role, level, rank, total_spent, points_balance FROM users ORDER BY id"),
    levels: await q("SELECT user_id, from_level, to_level, reason, at FROM level_changes ORDER BY user_id, at"),
    team: await q("SELECT * FROM team_daily WHERE orders <> 0 OR sales <> 0 ORDER BY ancestor_id, day, depth"),
    commission: await q("SELECT * FROM commission_lines ORDER BY id"),
    releases: await q("SELECT * FROM commission_releases ORDER BY commission_line_id"),
    ledger: await q(
      `SELECT t.kind, t.ref, a.owner_id, a.kind AS account, e.amount FROM ledger_entries e
         JOIN ledger_transactions t ON t.id = e.transaction_id JOIN ledger_accounts a ON a.id = e.account_id
        ORDER BY t.kind, t.ref, a.owner_id NULLS FIRST, a.kind`,
    ),
    accounts: await q("SELECT owner_id, kind, balance FROM ledger_accounts ORDER BY owner_id NULLS FIRST, kind"),
    distribution: await q("SELECT kind, ref, at FROM distribution_events ORDER BY kind, ref"),
    visitors: await q("SELECT day, visitor, first_seen_at FROM daily_visitors ORDER BY day, visitor"),
    addresses: await q("SELECT user_id, is_default, created_at, updated_at FROM addresses ORDER BY user_id"),
    points: await q("SELECT user_id, delta, reason, order_id, expires_at, at FROM points_ledger ORDER BY order_id, id"),
    // Ranks are reviewed after each payment by the use-case and once for the day's orders in bulk: the same
    // changes, told with the figures of their moment.
    ranks: await q("SELECT user_id, from_rank, to_rank FROM rank_changes ORDER BY user_id, id"),
    notifications: await q(
      `SELECT user_id, kind, priority, title, body FROM notifications WHERE kind <> 'rank_change'
        ORDER BY user_id, kind, title, body`,
    ),
  };
}

Deno.test(
  "orders written a day at a time leave the same rows as orders placed, paid, shipped, received and completed through the use-cases",
  opts,
  async () => {
    const a = await shopWithMembers();
    const b = await shopWithMembers();
    try {
      const plans = await plan(a.db);
      assert.deepEqual(
        plans.map((p) => p.order.lines.map((l) => l.sku.id)),
        (await plan(b.db)).map((p) => p.order.lines.map((l) => l.sku.id)),
      );
      await throughUseCases(a.db, plans);
      await inBulk(b.db, await plan(b.db));
      const [left, right] = [await snapshot(a.db), await snapshot(b.db)];
      for (const table of Object.keys(left)) assert.deepEqual(right[table], left[table], table);
      // The scenario reached what it was written for: levels, three tiers of commission, completion, points.
      assert.ok(left.levels.length >= 1, "a level change");
      assert.equal((left.orders as { status: string }[]).filter((o) => o.status === "completed").length, plans.length);
      assert.ok(left.releases.length >= 9 && left.points.length === plans.length);
    } finally {
      await a.close();
      await b.close();
    }
  },
);
