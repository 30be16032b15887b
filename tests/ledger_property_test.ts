import { appConfig } from "../fresh.config.ts";
/**
 * Property tests of the distribution engine against the real database: random referral trees,
 * plans, orders, deliveries, refunds and withdrawals, driven through the API, after which the
 * ledger must balance, every distributor's money must add up, and replaying the recorded orders
 * must reproduce every stored commission line. Plus a refund racing with settlement sweeps.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import Big from "big.js";
import { createTestApp, installPlanForTest, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import type { OrderView } from "../services/orders.ts";
import { Scheduler } from "../services/scheduler.ts";
import { releaseDueCommissions } from "../services/distribution.ts";
import { earningTotals } from "../services/earnings.ts";
import { createLogger } from "../lib/log.ts";
import { LEDGER_LOCK } from "../db/ledger_repo.ts";
import {
  type Beneficiary,
  clawback,
  type CommissionChain,
  type CommissionItem,
  computeCommissions,
} from "../domain/commission/compute.ts";
import {
  type CommissionPlan,
  complianceViolations,
  DEFAULT_PLAN,
  type Rank,
  RANKS,
} from "../domain/commission/plan.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const sandbox = new SandboxProvider(app.settings.paymentSandboxSecret);
const scheduler = new Scheduler(app.shop, createLogger("silent"));
const address = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海" };
const admin = app.client();
assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);

const ZERO = new Big(0);
const DAY = 86_400_000;
const sum = (values: (string | Big)[]) => values.reduce<Big>((s, v) => s.plus(v), ZERO);
const cents = (v: string | Big) => new Big(v).toFixed(2);
const max = (x: Big, y: Big) => (x.gt(y) ? x : y);

// ------------------------------------------------------------------ catalogue

interface Product {
  id: string;
  categoryId: string;
}

async function createProduct(category: string, price: string, costPrice: string): Promise<Product> {
  const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
    json: {
      name: `商品 ${crypto.randomUUID().slice(0, 6)}`,
      category,
      price,
      costPrice,
      stock: 100_000,
      lowStockThreshold: 1,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const [row] = await app.db.query<{ category_id: string }>("SELECT category_id FROM products WHERE id = $1", [
    res.body.product.id,
  ]);
  return { id: String(res.body.product.id), categoryId: String(row.category_id) };
}

// A cheap line, a line sold below cost (no gross profit), and a line in another category.
const products: Product[] = [
  await createProduct("beauty", "59.90", "20.00"),
  await createProduct("beauty", "45.00", "60.00"),
  await createProduct("food", "128.80", "31.25"),
];

// ------------------------------------------------------------------ the model

interface Member {
  id: string;
  client: TestClient;
  parent: number | null;
  rank: Rank;
  role: "shopper" | "distributor";
}

/** What the test knows of a run: members, what they spent and sold this month, and their orders. */
interface World {
  plan: CommissionPlan;
  members: Member[];
  spent: Big[];
  /** Month sales of each member's direct downline (what the volume bonus looks at). */
  teamSales: Big[];
  orders: PaidOrder[];
}

interface PaidOrder {
  id: string;
  buyer: number;
  view: OrderView;
  /** The buyer and uplines as they stood when the order was paid. */
  chain: CommissionChain;
  refundedQty: number[];
  status: string;
}

function eligible(plan: CommissionPlan, role: Member["role"], spent: Big): boolean {
  if (plan.eligibility === "everyone" || role === "distributor") return true;
  return plan.eligibility === "spend_threshold" && spent.gte(plan.spendThreshold);
}

/** The buyer and their (at most three) uplines, nearest first, as the model sees them now. */
function chainOf(w: World, buyer: number): CommissionChain {
  const who = (i: number): Beneficiary => ({
    id: w.members[i].id,
    rank: w.members[i].rank,
    eligible: eligible(w.plan, w.members[i].role, w.spent[i]),
    monthSales: cents(w.teamSales[i]),
  });
  const uplines: Beneficiary[] = [];
  for (let p = w.members[buyer].parent; p !== null && uplines.length < 3; p = w.members[p].parent) uplines.push(who(p));
  return { buyer: who(buyer), uplines };
}

// ------------------------------------------------------------------ API steps

async function register(name: string, uplineCode?: string) {
  const client = app.client();
  const user = await client.register(
    `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name,
    uplineCode ? { referralCode: uplineCode } : {},
  );
  return { client, id: String(user.id), code: String(user.referralCode) };
}

async function publishPlan(plan: CommissionPlan): Promise<number> {
  const { version: _v, negativeBalance: _n, ...input } = plan;
  // Commission released at once (no hold) is refused by the guard since the return window rule.
  if (plan.holdDays < appConfig.shop.returnWindowDays) return await installPlanForTest(app.db, input);
  const res = await admin.json<{ plan: { version: number }; error?: { code: string } }>(
    "PUT",
    "/api/admin/commission-plan",
    { json: input },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.plan.version;
}

async function buyAndPay(w: World, buyer: number, lines: { product: number; quantity: number }[]): Promise<PaidOrder> {
  const client = w.members[buyer].client;
  const created = await client.json<{ order: OrderView }>("POST", "/api/orders", {
    json: { items: lines.map((l) => ({ productId: products[l.product].id, quantity: l.quantity })), address },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const order = created.body.order;
  const pay = await client.json<{ payment: { id: string; amount: string } }>("POST", `/api/orders/${order.id}/pay`, {
    json: { method: "sandbox" },
  });
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  // The model as "order paid" sees it: the buyer's spend already counts this order.
  w.spent[buyer] = w.spent[buyer].plus(order.total);
  const chain = chainOf(w, buyer);
  const hook = await app.client().json("POST", "/api/payments/webhook/sandbox", {
    body,
    headers: { "content-type": "application/json", "x-sandbox-signature": await sandbox.sign(body) },
  });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));
  const parent = w.members[buyer].parent;
  if (parent !== null) w.teamSales[parent] = w.teamSales[parent].plus(order.total);
  const paid: PaidOrder = {
    id: order.id,
    buyer,
    view: order,
    chain,
    refundedQty: order.items.map(() => 0),
    status: "paid",
  };
  w.orders.push(paid);
  return paid;
}

async function ship(order: PaidOrder) {
  const res = await admin.json("POST", `/api/admin/orders/${order.id}/ship`, {
    json: { carrier: "SF", trackingNumber: `SF${order.id.padStart(10, "0")}` },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function confirmReceipt(w: World, order: PaidOrder) {
  const res = await w.members[order.buyer].client.json("POST", `/api/orders/${order.id}/confirm-receipt`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function requestRefund(client: TestClient, orderId: string, items: { orderItemId: string; quantity: number }[]) {
  const req = await client.json<{ refund: { id: string } }>("POST", `/api/orders/${orderId}/refunds`, {
    json: { items, reason: "不合适" },
  });
  assert.equal(req.status, 201, JSON.stringify(req.body));
  return req.body.refund.id;
}

async function approveRefund(refundId: string): Promise<string> {
  const ok = await admin.json<{ refund: { amount: string } }>("POST", `/api/admin/refunds/${refundId}/approve`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  return ok.body.refund.amount;
}

/** Refunds `quantity` units of one line of an order (request by the buyer, approval by the manager). */
async function refund(w: World, order: PaidOrder, line: number, quantity: number) {
  const refundId = await requestRefund(w.members[order.buyer].client, order.id, [
    { orderItemId: order.view.items[line].id, quantity },
  ]);
  const amount = await approveRefund(refundId);
  order.refundedQty[line] += quantity;
  w.spent[order.buyer] = w.spent[order.buyer].minus(amount);
  if (w.spent[order.buyer].lt(0)) w.spent[order.buyer] = ZERO;
  const parent = w.members[order.buyer].parent;
  if (parent !== null) w.teamSales[parent] = w.teamSales[parent].minus(amount);
}

const fullyRefunded = (o: PaidOrder) => o.view.items.every((item, i) => o.refundedQty[i] === item.quantity);

// ------------------------------------------------------------------ the books

interface LineRow {
  id: string;
  order_id: string;
  order_item_id: string;
  beneficiary_id: string;
  tier: number;
  plan_version: number;
  rate: string;
  base: string;
  amount: string;
  reversed: string;
  reversed_pending: string;
  released: boolean;
  release_posted: string;
  release_count: number;
}

async function linesOf(where: string, params: unknown[]): Promise<LineRow[]> {
  return await app.db.query<LineRow>(
    `SELECT l.id::text, l.order_id::text, l.order_item_id::text, l.beneficiary_id::text, l.tier, l.plan_version,
            l.rate::text, l.base::text, l.amount::text,
            coalesce((SELECT sum(r.amount) FROM commission_reversals r WHERE r.commission_line_id = l.id), 0)::numeric(20,2)::text AS reversed,
            coalesce((SELECT sum(r.amount) FROM commission_reversals r WHERE r.commission_line_id = l.id
                        AND r.from_account = 'pending'), 0)::numeric(20,2)::text AS reversed_pending,
            EXISTS (SELECT 1 FROM commission_releases c WHERE c.commission_line_id = l.id) AS released,
            coalesce((SELECT sum(e.amount) FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
                        JOIN ledger_accounts a ON a.id = e.account_id
                       WHERE t.kind = 'release' AND t.ref = 'line:' || l.id AND a.kind = 'pending'), 0)::numeric(20,2)::text
              AS release_posted,
            (SELECT count(*) FROM ledger_transactions t WHERE t.kind = 'release' AND t.ref = 'line:' || l.id)::int
              AS release_count
       FROM commission_lines l WHERE ${where} ORDER BY l.id`,
    params,
  );
}

/** (i) Every ledger transaction balances, and no business event was posted twice. */
async function assertLedgerBalanced() {
  const unbalanced = await app.db.query(
    "SELECT transaction_id FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0",
  );
  assert.deepEqual([...unbalanced], [], "every ledger transaction balances");
  const [{ n }] = await app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_transactions t
      WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id)`,
  );
  assert.equal(n, 0, "no empty ledger transaction");
}

/**
 * (ii) For each distributor: pending + available + withdrawing + paid + clawed back = earned,
 * and each balance holds what its lines say: pending is what unreleased lines have left, and
 * available what released lines have left, less withdrawals. Every released line moved exactly
 * what was left of it, once.
 */
async function assertBooks(memberIds: string[]) {
  for (const id of memberIds) {
    const t = await earningTotals(app.db, id);
    const lines = await linesOf("l.beneficiary_id = $1", [id]);
    const [w] = await app.db.query<{ held: string; requested: string; paid: string }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE status IN ('requested', 'paid')), 0)::numeric(20,2)::text AS held,
              coalesce(sum(amount) FILTER (WHERE status = 'requested'), 0)::numeric(20,2)::text AS requested,
              coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0)::numeric(20,2)::text AS paid
         FROM withdrawals WHERE user_id = $1`,
      [id],
    );
    const earned = sum(lines.map((l) => l.amount));
    const identity = sum([t.pending, t.available, t.withdrawing, t.paid, t.clawedBack]);
    const who = `distributor ${id} (${JSON.stringify(t)}, earned ${cents(earned)})`;
    assert.equal(
      cents(identity),
      cents(earned),
      `${who}: pending + available + withdrawing + paid + clawed back = earned`,
    );
    assert.equal(cents(t.clawedBack), cents(sum(lines.map((l) => l.reversed))), `${who}: clawed back`);
    assert.equal(cents(t.paid), cents(w.paid), `${who}: paid`);
    assert.equal(cents(t.withdrawing), cents(w.requested), `${who}: withdrawing`);
    const left = (l: LineRow) => new Big(l.amount).minus(l.reversed);
    assert.equal(
      cents(t.pending),
      cents(sum(lines.filter((l) => !l.released).map(left))),
      `${who}: pending is what unreleased lines have left`,
    );
    assert.equal(
      cents(t.available),
      cents(sum(lines.filter((l) => l.released).map(left)).minus(w.held)),
      `${who}: available is what released lines have left, less withdrawals`,
    );
    assert.ok(new Big(t.pending).gte(0), `${who}: pending never goes negative`);
    for (const l of lines) {
      assert.ok(l.release_count <= 1, `line ${l.id} is released at most once`);
      assert.ok(new Big(l.reversed).lte(l.amount), `line ${l.id}: clawed back ${l.reversed} of ${l.amount}`);
      if (l.released) {
        // The release moved out of pending exactly what refunds had not already taken from it.
        assert.equal(
          cents(new Big(l.release_posted).plus(l.reversed_pending)),
          cents(l.amount),
          `line ${l.id} (${l.amount}, ${l.reversed_pending} clawed back from pending) was released for ${l.release_posted}`,
        );
      } else {
        assert.equal(l.release_count, 0, `unreleased line ${l.id} posted no release`);
        assert.equal(
          cents(l.reversed_pending),
          cents(l.reversed),
          `unreleased line ${l.id} is clawed back from pending`,
        );
      }
    }
  }
}

/** The plan a line says it was computed with, as stored. */
async function storedPlan(version: number): Promise<CommissionPlan> {
  const [row] = await app.db.query<{ plan: CommissionPlan }>("SELECT plan FROM commission_plans WHERE version = $1", [
    version,
  ]);
  assert.ok(row, `plan version ${version} is stored`);
  return { ...DEFAULT_PLAN, ...row.plan, version };
}

async function orderItemsOf(orderId: string) {
  return await app.db.query<CommissionItem & { refunded: string }>(
    `SELECT i.id::text AS "orderItemId", i.product_id::text AS "productId", p.category_id::text AS "categoryId",
            i.quantity, i.line_total::text AS "lineTotal", i.cost_price::text AS "unitCost",
            coalesce((SELECT sum(ri.amount) FROM refund_items ri JOIN refunds r ON r.id = ri.refund_id
                       WHERE ri.order_item_id = i.id AND r.status = 'approved'), 0)::numeric(20,2)::text AS refunded
       FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = $1 ORDER BY i.id`,
    [orderId],
  );
}

const lineKey = (l: { orderItemId: string; beneficiaryId: string; tier: number }) =>
  `${l.orderItemId}/${l.tier}/${l.beneficiaryId}`;

/**
 * (iii) Replaying each order with computeCommissions, the stored plan version and the chain as it
 * stood at payment reproduces the stored lines; (iv) no order line pays more than its cap; and
 * each line's claw-back is exactly its share of what was refunded.
 */
async function assertReplay(w: World, planVersion: number) {
  const plan = await storedPlan(planVersion);
  for (const order of w.orders) {
    const items = await orderItemsOf(order.id);
    const stored = await linesOf("l.order_id = $1", [order.id]);
    for (const l of stored) assert.equal(l.plan_version, planVersion, `line ${l.id} keeps the plan it was made with`);
    const expected = computeCommissions(plan, items, order.chain, new Date());
    const show = (l: { orderItemId: string; beneficiaryId: string; tier: number; amount: string }) =>
      `${lineKey(l)}=${l.amount}`;
    assert.deepEqual(
      stored.map((l) =>
        show({ orderItemId: l.order_item_id, beneficiaryId: l.beneficiary_id, tier: l.tier, amount: l.amount })
      )
        .sort(),
      expected.map((l) => show({ ...l, amount: cents(l.amount) })).sort(),
      `order ${order.id}: replay reproduces the stored commission lines`,
    );
    for (const e of expected) {
      const s = stored.find((l) =>
        lineKey({ ...l, orderItemId: l.order_item_id, beneficiaryId: l.beneficiary_id }) === lineKey(e)
      )!;
      assert.equal(cents(s.base), cents(e.base), `line ${s.id}: base`);
      assert.ok(new Big(s.rate).eq(e.rate.toFixed(6)), `line ${s.id}: rate ${s.rate} vs ${e.rate}`);
    }
    for (const item of items) {
      const mine = stored.filter((l) => l.order_item_id === item.orderItemId);
      const paid = new Big(item.lineTotal);
      const base = plan.base === "paid_amount"
        ? paid
        : max(paid.minus(new Big(item.unitCost).times(item.quantity)), ZERO);
      const cap = base.times(plan.capRate).round(2, Big.roundDown);
      const total = sum(mine.map((l) => l.amount));
      assert.ok(total.lte(cap), `order line ${item.orderItemId} pays ${total}, over the cap ${cap} of ${base}`);
      assert.ok(mine.length <= 3, "at most three tiers per order line");
      for (const l of mine) {
        assert.equal(
          cents(l.reversed),
          cents(clawback(new Big(l.amount), paid, ZERO, new Big(item.refunded))),
          `line ${l.id}: clawed back its share of ${item.refunded} refunded of ${item.lineTotal}`,
        );
      }
    }
  }
}

// ------------------------------------------------------------------ generators

const decimal = (units: number, places: number) => new Big(units).div(10 ** places).toFixed(places);
const rateArb = (min: number, max: number) =>
  fc.integer({ min: Math.round(min * 10_000), max: Math.round(max * 10_000) }).map((n) => decimal(n, 4));
const tiersArb = fc.array(rateArb(0, 0.15).map((rate) => ({ rate })), { minLength: 1, maxLength: 3 });

const planArb = fc.record({
  tiers: tiersArb,
  base: fc.constantFrom<CommissionPlan["base"][]>("paid_amount", "gross_profit"),
  eligibility: fc.constantFrom<CommissionPlan["eligibility"][]>("everyone", "application", "spend_threshold"),
  spendThreshold: fc.integer({ min: 0, max: 30_000 }).map((n) => decimal(n, 2)),
  selfPurchase: fc.boolean(),
  capRate: rateArb(0.05, 0.5),
  categoryOverride: fc.option(tiersArb, { nil: undefined }),
  productOverride: fc.option(fc.tuple(fc.integer({ min: 0, max: products.length - 1 }), tiersArb), { nil: undefined }),
  rankRates: fc.record({ standard: tiersArb, silver: tiersArb, gold: tiersArb }, { requiredKeys: [] }),
  volumeBonus: fc.option(
    fc.record({
      threshold: fc.integer({ min: 0, max: 20_000 }).map((n) => decimal(n, 2)),
      extraRate: rateArb(0, 0.05),
    }),
    { nil: null },
  ),
  campaigns: fc.array(
    fc.record({
      when: fc.constantFrom("active", "past", "future"),
      multiplier: fc.integer({ min: 5_000, max: 20_000 }).map((n) => decimal(n, 4)),
    }),
    { maxLength: 2 },
  ),
  withdrawalFee: fc.constantFrom("0.00", "1.00"),
  tightCap: fc.boolean(),
}).map((p): CommissionPlan & { tightCap: boolean } => {
  const now = Date.now();
  const windows = { active: [-30, 30], past: [-60, -40], future: [40, 60] } as const;
  return {
    ...DEFAULT_PLAN,
    tiers: p.tiers,
    base: p.base,
    eligibility: p.eligibility,
    spendThreshold: p.spendThreshold,
    selfPurchase: p.selfPurchase,
    holdDays: 0,
    capRate: p.capRate,
    categoryOverrides: p.categoryOverride ? [{ categoryId: products[2].categoryId, tiers: p.categoryOverride }] : [],
    productOverrides: p.productOverride
      ? [{ productId: products[p.productOverride[0]].id, tiers: p.productOverride[1] }]
      : [],
    rankRates: p.rankRates,
    volumeBonus: p.volumeBonus,
    campaigns: p.campaigns.map((c, i) => ({
      name: `campaign ${i + 1}`,
      startsAt: new Date(now + windows[c.when][0] * DAY).toISOString(),
      endsAt: new Date(now + windows[c.when][1] * DAY).toISOString(),
      multiplier: c.multiplier,
    })),
    signUpFee: "0.00",
    headcountBonus: "0.00",
    minWithdrawal: "1.00",
    withdrawalFee: p.withdrawalFee,
    tightCap: p.tightCap,
  };
});

/**
 * Raises the cap (or drops the campaigns) until the plan passes the compliance guard; a `tight`
 * plan gets exactly the smallest cap the guard allows, so rounding and stacked bonuses hit it.
 */
function compliant(plan: CommissionPlan, tight = false): CommissionPlan {
  const sets = [
    plan.tiers,
    ...plan.categoryOverrides.map((o) => o.tiers),
    ...plan.productOverrides.map((o) => o.tiers),
    ...Object.values(plan.rankRates).map((t) => t ?? []),
  ];
  const bonus = new Big(plan.volumeBonus?.extraRate ?? 0);
  // As the guard reckons: the bonus on every tier, overlapping campaigns compounding.
  const multiplier = plan.campaigns.reduce(
    (m, c) => (new Big(c.multiplier).gt(1) ? m.times(new Big(c.multiplier)) : m),
    new Big(1),
  );
  const need = sets.reduce(
    (m, s) => max(m, sum(s.map((t) => t.rate)).plus(bonus.times(s.length)).times(multiplier)),
    ZERO,
  );
  if (need.lte(plan.capRate) && !tight) return plan;
  if (need.gt("0.9999")) return compliant({ ...plan, campaigns: [] }, tight);
  return { ...plan, capRate: need.round(4, Big.roundUp).toFixed(4) };
}

const refundArb = fc.record({ line: fc.nat(20), quantity: fc.nat(20), all: fc.boolean() });

const orderArb = fc.record({
  buyer: fc.nat(20),
  lines: fc.uniqueArray(
    fc.record({ product: fc.integer({ min: 0, max: products.length - 1 }), quantity: fc.integer({ min: 1, max: 4 }) }),
    { minLength: 1, maxLength: 2, selector: (l) => l.product },
  ),
  /** 0 stays paid, 1 is shipped, 2 is received and swept (commission released). */
  stage: fc.constantFrom(0, 1, 2, 2),
  refundAt: fc.constantFrom("none", "paid", "shipped", "delivered"),
  refunds: fc.array(refundArb, { minLength: 1, maxLength: 2 }),
});

const scenarioArb = fc.record({
  members: fc.array(
    fc.record({
      parent: fc.option(fc.nat(20), { nil: null, freq: 5 }),
      rank: fc.constantFrom<Rank[]>(...RANKS),
      role: fc.constantFrom<Member["role"][]>("shopper", "distributor"),
    }),
    { minLength: 3, maxLength: 8 },
  ),
  plan: planArb,
  orders: fc.array(orderArb, { minLength: 2, maxLength: 5 }),
  withdrawal: fc.option(
    fc.record({
      member: fc.nat(20),
      share: fc.integer({ min: 10, max: 100 }),
      decision: fc.constantFrom("approve", "reject", "leave"),
    }),
    { nil: null, freq: 3 },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

// ------------------------------------------------------------------ the run

async function runScenario(s: Scenario) {
  // A random referral tree (each member under an earlier one, or at the top).
  const members: Member[] = [];
  const codes: string[] = [];
  for (const [i, m] of s.members.entries()) {
    const parent = i === 0 || m.parent === null ? null : m.parent % i;
    const user = await register(`M${i}`, parent === null ? undefined : codes[parent]);
    await app.db.query("UPDATE users SET rank = $2, role = $3 WHERE id = $1", [user.id, m.rank, m.role]);
    members.push({ id: user.id, client: user.client, parent, rank: m.rank, role: m.role });
    codes.push(user.code);
  }

  // A random plan; one the guard refuses is 422 and changes nothing, then a compliant variant is published.
  // A tight plan pays the bonus at every tier and has only its own tiers, so the cap bites.
  const { tightCap, ...drawn } = s.plan;
  let plan: CommissionPlan = tightCap
    ? {
      ...drawn,
      categoryOverrides: [],
      productOverrides: [],
      rankRates: {},
      volumeBonus: { threshold: "0.00", extraRate: drawn.volumeBonus?.extraRate ?? "0.0100" },
    }
    : drawn;
  if (complianceViolations(plan, appConfig.shop).length > 0) {
    const before = await admin.json<{ plan: { version: number } }>("GET", "/api/admin/commission-plan");
    const { version: _v, negativeBalance: _n, ...input } = plan;
    const refused = await admin.json<{ error: { code: string } }>("PUT", "/api/admin/commission-plan", {
      json: input,
    });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "compliance_violation");
    const after = await admin.json<{ plan: { version: number } }>("GET", "/api/admin/commission-plan");
    assert.equal(after.body.plan.version, before.body.plan.version, "a refused plan changes nothing");
  }
  plan = compliant(plan, tightCap);
  const version = await publishPlan(plan);
  const w: World = {
    plan: { ...plan, version },
    members,
    spent: members.map(() => ZERO),
    teamSales: members.map(() => ZERO),
    orders: [],
  };

  for (const spec of s.orders) {
    const order = await buyAndPay(w, spec.buyer % members.length, spec.lines);
    const refunds = async () => {
      for (const r of spec.refunds) {
        const open = order.view.items.map((item, i) => item.quantity - order.refundedQty[i]);
        let line = r.line % open.length;
        if (open[line] === 0) line = open.findIndex((q) => q > 0);
        if (line < 0) return;
        await refund(w, order, line, r.all ? open[line] : 1 + (r.quantity % open[line]));
      }
    };
    if (spec.refundAt === "paid") await refunds();
    if (spec.stage >= 1 && !fullyRefunded(order)) {
      await ship(order);
      if (spec.refundAt === "shipped") await refunds();
    }
    if (spec.stage >= 2 && !fullyRefunded(order)) {
      await confirmReceipt(w, order);
      await scheduler.sweep();
      const [{ n }] = await app.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM distribution_events WHERE kind = 'order_released' AND ref = $1",
        [order.id],
      );
      const [{ lines }] = await app.db.query<{ lines: number }>(
        "SELECT count(*)::int AS lines FROM commission_lines WHERE order_id = $1",
        [order.id],
      );
      assert.equal(n, lines > 0 ? 1 : 0, `received order ${order.id} is released at once when holdDays is 0`);
      if (spec.refundAt === "delivered") await refunds();
    }
  }

  // Maybe a withdrawal of part of someone's available balance.
  if (s.withdrawal) {
    const balances = await Promise.all(members.map((m) => earningTotals(app.db, m.id)));
    const candidates = members.map((_, i) => i).filter((i) => new Big(balances[i].available).gte(3));
    if (candidates.length > 0) {
      const i = candidates[s.withdrawal.member % candidates.length];
      const available = new Big(balances[i].available);
      const amount = max(available.times(s.withdrawal.share).div(100).round(2, Big.roundDown), new Big(2));
      const req = await members[i].client.json<{ withdrawal: { id: string; amount: string } }>(
        "POST",
        "/api/me/withdrawals",
        { json: { amount: cents(amount) }, headers: { "idempotency-key": crypto.randomUUID() } },
      );
      assert.equal(req.status, 201, JSON.stringify(req.body));
      const id = req.body.withdrawal.id;
      if (s.withdrawal.decision === "approve") {
        const ok = await admin.json("POST", `/api/admin/withdrawals/${id}/approve`, { json: {} });
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
      } else if (s.withdrawal.decision === "reject") {
        const no = await admin.json("POST", `/api/admin/withdrawals/${id}/reject`, { json: { reason: "资料不全" } });
        assert.equal(no.status, 200, JSON.stringify(no.body));
      }
    }
  }

  // The books.
  await assertLedgerBalanced();
  await assertBooks(members.map((m) => m.id));
  for (const m of members) {
    const res = await m.client.json<{ totals: Record<string, string> }>("GET", "/api/me/commissions");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.totals, await earningTotals(app.db, m.id), "the API shows the ledger's totals");
  }
  await assertReplay(w, version);
}

Deno.test(
  "random trees, plans, orders, refunds and withdrawals: the ledger balances, the books add up, and replay reproduces every line",
  opts,
  async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns: 8, endOnFailure: true });
  },
);

// ------------------------------------------------------------------ concurrency

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls a count query until it reaches `count` (PostgreSQL only), or gives up after a while. */
async function waitForCount(sql: string, params: unknown[], count: number, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [{ n }] = await app.db.query<{ n: number }>(sql, params);
    if (n >= count) return true;
    await sleep(10);
  }
  return false;
}

/** Sessions waiting for an advisory lock (the ledger's, or the outbox's). */
const ADVISORY_WAITERS = `SELECT count(*)::int AS n FROM pg_locks
  WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = $1
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
/** The outbox's advisory lock (db/events_repo.ts), which appendEvent holds until commit. */
const OUTBOX_LOCK = 727_002;
/** Sessions of this database waiting for a row lock while running a statement that starts so. */
const ROW_WAITERS = `SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`;

class Rollback extends Error {}

/**
 * Runs `sql` in a transaction that keeps whatever it locks until `resume` is called, then rolls
 * it back: another session that needs the same lock waits at that statement meanwhile.
 */
async function holdInTransaction(sql: string, params: unknown[]) {
  let held!: () => void;
  let resume!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const resumed = new Promise<void>((r) => (resume = r));
  const done = app.db.transaction(async (tx) => {
    await tx.query(sql, params);
    held();
    await resumed;
    throw new Rollback("roll back");
  }).catch((err) => {
    if (!(err instanceof Rollback)) throw err;
  });
  await isHeld;
  return { resume, done };
}

/**
 * How the refund approval and the settlement sweep meet:
 * - `race`: all at once (Promise.all), on both databases;
 * - `during_close`: while a settlement close holds the ledger lock exclusively (as closePeriod
 *   does), so both reach their postings before either commits (PostgreSQL);
 * - `slow_release`: the sweep has read the order's lines and is slow to write them while the
 *   refund is approved (PostgreSQL);
 * - `slow_refund_other_order`: the approval is slow to claw back (after it has written its order
 *   events) while the sweep releases another order of the same buyer (PostgreSQL).
 */
type Race = "race" | "during_close" | "slow_release" | "slow_refund_other_order";

async function raceRefundWithSettlement(race: Race, quantity: number) {
  const root = await register("Root");
  const a = await register("A", root.code);
  const b = await register("B", a.code);
  const d = await register("D", b.code);
  const w: World = {
    plan: DEFAULT_PLAN,
    members: [root, a, b, d].map((m, i) => ({
      id: m.id,
      client: m.client,
      parent: i === 0 ? null : i - 1,
      rank: "standard",
      role: "shopper",
    })),
    spent: [ZERO, ZERO, ZERO, ZERO],
    teamSales: [ZERO, ZERO, ZERO, ZERO],
    orders: [],
  };
  // The order to refund is received (due for release), except when another order is released.
  const delivered: PaidOrder[] = [];
  if (race === "slow_refund_other_order") {
    const other = await buyAndPay(w, 3, [{ product: 0, quantity: 2 }]);
    await ship(other);
    await confirmReceipt(w, other);
    delivered.push(other);
  }
  const order = await buyAndPay(w, 3, [{ product: 2, quantity: 3 }]);
  if (race !== "slow_refund_other_order") {
    await ship(order);
    await confirmReceipt(w, order);
    delivered.push(order);
  }
  const refundId = await requestRefund(d.client, order.id, [{ orderItemId: order.view.items[0].id, quantity }]);
  const [first] = await app.db.query<{ id: string }>(
    "SELECT id::text FROM commission_lines WHERE order_id = $1 ORDER BY id LIMIT 1",
    [order.id],
  );
  assert.ok(first, "the order earned commission");

  let results: PromiseSettledResult<unknown>[];
  if (race === "race") {
    results = await Promise.allSettled([
      approveRefund(refundId),
      releaseDueCommissions(app.db, new Date()),
      scheduler.sweep(),
      releaseDueCommissions(app.db, new Date()),
    ]);
  } else if (race === "during_close") {
    // A settlement close holds the ledger lock; both reach their postings before it lets go.
    const close = await holdInTransaction("SELECT pg_advisory_xact_lock($1)", [LEDGER_LOCK]);
    const all = Promise.allSettled([approveRefund(refundId), releaseDueCommissions(app.db, new Date())]);
    await waitForCount(ADVISORY_WAITERS, [LEDGER_LOCK], 2);
    close.resume();
    results = [...await all, ...await Promise.allSettled([close.done])];
  } else if (race === "slow_release") {
    // The sweep reads the order's lines, then waits to write the first line's release.
    const blocker = await holdInTransaction("INSERT INTO commission_releases (commission_line_id) VALUES ($1)", [
      first.id,
    ]);
    const release = releaseDueCommissions(app.db, new Date());
    await waitForCount(ROW_WAITERS, ["INSERT INTO commission_releases%"], 1);
    const approval = approveRefund(refundId);
    // The approval finishes meanwhile (or waits, if the release holds the order).
    await Promise.race([approval.catch(() => {}), sleep(1_500)]);
    blocker.resume();
    results = await Promise.allSettled([approval, release, blocker.done]);
  } else {
    // The approval has moved the order and written its events, then waits before clawing back.
    const blocker = await holdInTransaction(
      "INSERT INTO distribution_events (kind, ref) VALUES ('refund_approved', $1)",
      [refundId],
    );
    const approval = approveRefund(refundId);
    await waitForCount(ROW_WAITERS, ["INSERT INTO distribution_events%"], 1);
    const release = releaseDueCommissions(app.db, new Date());
    // The sweep releases the other order's first line (the same distributors) and writes its event.
    await waitForCount(ADVISORY_WAITERS, [OUTBOX_LOCK], 1);
    blocker.resume();
    results = await Promise.allSettled([approval, release, blocker.done]);
  }
  // Settle whatever the race left first, so a failed round leaves nothing due for the next one.
  await scheduler.sweep();
  for (const r of results) {
    assert.equal(r.status, "fulfilled", r.status === "rejected" ? `${race}: ${String(r.reason)}` : "");
  }
  order.refundedQty[0] += quantity;

  for (const o of delivered) {
    const lines = await linesOf("l.order_id = $1", [o.id]);
    assert.equal(lines.length, 3, "three tiers earned on the order");
    for (const l of lines) {
      assert.ok(l.released, `line ${l.id} of received order ${o.id} is released after the sweeps`);
      // Released once; a line the refund took back in full before its release moves nothing.
      assert.ok(l.release_count <= 1, `line ${l.id} is released at most once`);
      assert.equal(l.release_count, new Big(l.release_posted).gt(0) ? 1 : 0, `line ${l.id}: one posting per release`);
    }
  }
  const [{ dup }] = await app.db.query<{ dup: number }>(
    `SELECT count(*)::int AS dup FROM (SELECT commission_line_id FROM commission_reversals
      WHERE refund_id = $1 GROUP BY 1 HAVING count(*) > 1) x`,
    [refundId],
  );
  assert.equal(dup, 0, "each line is reversed at most once per refund");
  const [{ reversals }] = await app.db.query<{ reversals: number }>(
    "SELECT count(*)::int AS reversals FROM ledger_transactions WHERE kind = 'reversal' AND ref LIKE $1",
    [`%:refund:${refundId}`],
  );
  assert.equal(reversals, 3, "one reversal posting per line for the refund");
  await assertLedgerBalanced();
  await assertBooks(w.members.map((m) => m.id));
  const [{ v }] = await app.db.query<{ v: number }>(
    "SELECT max(plan_version) AS v FROM commission_lines WHERE order_id = $1",
    [order.id],
  );
  await assertReplay(w, v);
}

Deno.test(
  "refunds racing with settlement never lose or double a line: approval vs releaseDueCommissions and sweeps",
  opts,
  async (t) => {
    await publishPlan({ ...DEFAULT_PLAN, holdDays: 0, minWithdrawal: "1.00" });
    const rounds: [Race, number][] = app.db.kind === "postgres"
      ? [
        ["race", 1],
        ["race", 3],
        ["race", 2],
        ["during_close", 1],
        ["slow_release", 1],
        ["slow_refund_other_order", 2],
      ]
      : [["race", 1], ["race", 3], ["race", 2]];
    for (const [race, quantity] of rounds) {
      await t.step(`${race}: refund ${quantity} of 3 units`, () => raceRefundWithSettlement(race, quantity));
    }
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
