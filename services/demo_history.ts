/**
 * The demo shop's past: the days it has lived, written by the real use-cases at the moments they
 * describe. A simulated clock walks from the first day to now; at each moment of the plan the real
 * service runs (checkout, payment webhook, shipping, receipt, refunds of every kind, coupon claims,
 * withdrawals, distributor applications, a restock) with that clock, and the scheduler's own sweep runs
 * twice a day (expiry, delivery, completion with points and commission release, rank reviews,
 * settlement periods). Commission, ledger, team figures, statements, points and stock are therefore
 * exactly what the product itself computes. Everything is written in one transaction through
 * `historyDb`, whose SQL clock follows the simulated one; a failure undoes the whole history.
 *
 * The outbox events the history writes stay history: they carry the times they describe and are
 * published before the dispatcher starts, which begins after them (realtime/dispatcher.ts), so no live
 * client is sent them; dashboards read the newest of them as their feeds.
 */
import type { Db } from "../db/db.ts";
import { historyDb } from "../db/history_db.ts";
import { orderItems } from "../db/orders_repo.ts";
import { balancesOf } from "../db/ledger_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { CryptoBox } from "../lib/crypto_box.ts";
import { createLogger, type Logger } from "../lib/log.ts";
import { randomToken } from "../lib/tokens.ts";
import { shopCalendar, shopMidnight } from "../domain/shop_time.ts";
import { ensureManager } from "./accounts.ts";
import { keepCheckoutAddress } from "./address_book.ts";
import { claimCoupon } from "./coupons.ts";
import { approveWithdrawal, rejectWithdrawal, requestWithdrawal, sandboxPayouts } from "./earnings.ts";
import { cancelOrder, confirmReceipt, createOrder, expireDueOrders, shipOrder } from "./orders.ts";
import { receiveWebhook, startPayment } from "./payments.ts";
import type { SandboxProvider } from "./payment_provider.ts";
import { applyAsDistributor, decideApplication } from "./programme.ts";
import { approveRefund, rejectRefund, requestRefund } from "./refunds.ts";
import { Scheduler } from "./scheduler.ts";
import { createShop, type Shop } from "./shop.ts";
import { updateProduct } from "./catalogue_admin.ts";
import { VisitCounter } from "./visits.ts";
import { memberVisitor } from "./analytics.ts";
import {
  type BulkOrder,
  type BulkShipment,
  type BulkSku,
  confirmShippedOrders,
  shipPaidOrders,
  sweepOrders,
  writePaidOrders,
} from "./demo_bulk_orders.ts";

/**
 * How much history: days (today included), orders per day (growing from the first day to the last), and
 * how many of the last days are lived order by order through the use-cases; the days before are
 * written a day at a time (`writePaidOrders`), then shipped, received and completed by the use-cases.
 */
export interface HistoryCounts {
  days: number;
  ordersPerDay: readonly [number, number];
  liveDays: number;
}

/** What the history holds. */
export interface HistorySummary {
  days: number;
  orders: number;
  paid: number;
  refunds: number;
  withdrawals: number;
  /** Milliseconds it took to write. */
  ms: number;
}

/** Options of `seedHistory`. */
export interface HistoryInput {
  /** Midnight (shop time) of the first day. */
  start: Date;
  /** Now: the history stops here; what would come later is left undone (orders stay open). */
  end: Date;
  counts: HistoryCounts;
  box?: CryptoBox;
  log?: Logger;
  /** Rethrow a failure instead of logging it and leaving the history out (tests). */
  strict?: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Orders by hour of the day (shop time): quiet at night, peaks at lunch and in the evening. */
const HOUR_WEIGHTS = [
  1,
  0.5,
  0.3,
  0.2,
  0.2,
  0.3,
  0.6,
  1.2,
  2,
  2.6,
  3,
  3.2,
  4,
  3.6,
  3,
  3,
  3.2,
  3.4,
  3.6,
  4.2,
  5,
  5.4,
  4.4,
  2.4,
];
const CITIES = ["上海", "北京", "杭州", "广州", "深圳", "成都", "南京", "武汉", "西安", "苏州", "重庆", "长沙"];
const STREETS = ["人民路", "解放路", "中山路", "建设路", "文化路", "和平路", "长江路", "青年路"];
const CARRIERS = ["顺丰速运", "中通快递", "圆通速递", "京东物流", "韵达快递"];
const CLAIMABLE = ["WELCOME20", "SAVE10"];

/** A small deterministic PRNG (mulberry32), so the demo shop is the same on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What becomes of an order after it is placed. */
type Fate =
  | "expire"
  | "cancel"
  | "refund_before_shipping"
  | "return_refund"
  | "exchange"
  | "partial_refund"
  | "rejected_refund"
  | "keep";

interface DemoSku extends BulkSku {
  listPrice: number;
  sellable: number;
  /** How many SKUs its product has (a restock edits single-SKU products). */
  siblings: number;
  weight: number;
}

interface DemoBuyer {
  row: UserRow;
  joined: number;
  /** Depth under the demo distributor (1–3), or 0 outside their team. */
  tier: number;
  appetite: number;
  address: { name: string; phone: string; line1: string; city: string };
  ordered: boolean;
  paidOrders: number;
  claims: Set<string>;
}

interface DemoOrder {
  id: string;
  buyer: DemoBuyer;
  lines: { skuId: string; quantity: number }[];
  coupon?: string;
  fate: Fate;
  status: string;
}

/** A min-heap of timed actions (ties in the order they were planned). */
class Agenda {
  #heap: { at: number; seq: number; run: () => Promise<void> }[] = [];
  #seq = 0;

  add(at: number, run: () => Promise<void>): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  next(): { at: number; run: () => Promise<void> } | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && this.#less(heap[l], heap[m])) m = l;
        if (r < heap.length && this.#less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  #less(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

/**
 * Writes the demo shop's history from `start` to `end` with the real use-cases (see the module
 * comment), in one transaction of its own (a savepoint inside the caller's). Returns what it wrote, or
 * null when it failed (logged; the shop then opens with its catalogue and members only).
 */
export async function seedHistory(db: Db, input: HistoryInput): Promise<HistorySummary | null> {
  const started = performance.now();
  try {
    return await db.transaction(async (tx) => {
      const summary = await writeHistory(tx, input);
      return { ...summary, ms: Math.round(performance.now() - started) };
    });
  } catch (err) {
    if (input.strict) throw err;
    input.log?.warn("demo history left out: it could not be written", { error: String(err) });
    return null;
  }
}

async function writeHistory(tx: Db, input: HistoryInput): Promise<Omit<HistorySummary, "ms">> {
  const { start, end, counts } = input;
  const rand = prng(20261203);
  const endMs = end.getTime();
  let clock = start.getTime();
  const now = () => new Date(clock);
  const db = historyDb(tx, now);
  const secret = randomToken(16);
  const shop: Shop = createShop(db, secret, input.box ?? CryptoBox.development(), now);
  const provider = shop.payments as SandboxProvider;
  const scheduler = new Scheduler(shop, createLogger("silent"));
  const visits = new VisitCounter(db);
  const agenda = new Agenda();
  const at = (ms: number, run: () => Promise<void>) => {
    if (ms <= endMs) agenda.add(ms, run);
  };
  const chance = (p: number) => rand() < p;
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const summary = { days: counts.days, orders: 0, paid: 0, refunds: 0, withdrawals: 0 };
  const codes = new Map(
    (await db.query<{ id: string; code: string }>("SELECT id::text, referral_code AS code FROM users"))
      .map((r) => [r.id, r.code]),
  );
  /**
   * Some buyers arrive through a referral link to the product they then buy, as the app records it:
   * the signed-in member's click on `/products/:id?ref=CODE` is counted a few minutes before the order,
   * and the order is attributed to the link's owner (the `ref` cookie at checkout). Returns that owner.
   */
  const arriveThroughLink = (buyer: DemoBuyer, productId: string, placedAt: number): string | null => {
    // The demo distributor shares links with the whole team; other members' links reach their own downline.
    const owner = buyer.tier > 0
      ? String(root.id)
      : buyer.row.upline_id === null
      ? undefined
      : String(buyer.row.upline_id);
    const code = owner && codes.get(owner);
    if (!owner || !code || !chance(0.35)) return null;
    visits.click(
      {
        code: code.toUpperCase(),
        productId,
        visitor: memberVisitor(String(buyer.row.id)),
        viewerId: String(buyer.row.id),
      },
      new Date(placedAt - between(2, 40) * MINUTE),
    );
    return owner;
  };

  // Who acts: a manager (the first one, or a demo one for a shop without any), the demo distributor
  // and the members, in the order they joined.
  const manager = await firstManager(db) ??
    (await ensureManager(db, "operations@demo.example", undefined), (await firstManager(db))!);
  const [root] = await db.query<UserRow>("SELECT * FROM users WHERE email = 'distributor@example.com'");
  const tiers = new Map(
    (await db.query<{ id: string; depth: number }>(
      "SELECT descendant_id::text AS id, depth FROM referral_paths WHERE ancestor_id = $1",
      [root.id],
    )).map((r) => [r.id, Number(r.depth)]),
  );
  const buyers: DemoBuyer[] = (await db.query<UserRow>(
    "SELECT * FROM users WHERE email LIKE 'member%@demo.example' ORDER BY created_at, id",
  )).map((row, i) => ({
    row,
    joined: new Date(row.created_at).getTime(),
    tier: tiers.get(String(row.id)) ?? 0,
    // A few members buy often, most now and then.
    appetite: i === 0 ? 0.25 : rand() ** 2,
    address: {
      name: row.name,
      phone: `13${String(Math.floor(rand() * 1e9)).padStart(9, "0")}`,
      line1: `${STREETS[Math.floor(rand() * STREETS.length)]}${1 + Math.floor(rand() * 300)}号${
        1 + Math.floor(rand() * 20)
      }0${1 + Math.floor(rand() * 4)}室`,
      city: CITIES[Math.floor(rand() * CITIES.length)],
    },
    ordered: false,
    paidOrders: 0,
    claims: new Set<string>(),
  }));
  if (!root || buyers.length === 0) return summary;
  const demoShopper = buyers[0];

  const skus: DemoSku[] = (await db.query<{
    id: string;
    product_id: string;
    category_id: string;
    name: string;
    specs: Record<string, string> | null;
    price: string;
    cost_price: string;
    sellable: number;
    n: number;
  }>(
    `SELECT s.id::text, s.product_id::text, p.category_id::text, p.name, s.specs, s.price::text, s.cost_price::text,
            s.stock - s.reserved AS sellable, count(*) OVER (PARTITION BY s.product_id)::int AS n
       FROM product_skus s JOIN products p ON p.id = s.product_id
      WHERE s.archived_at IS NULL AND p.on_sale ORDER BY s.id`,
  )).map((s) => ({
    id: s.id,
    productId: s.product_id,
    categoryId: s.category_id,
    name: s.name,
    specs: s.specs ?? {},
    price: s.price,
    costPrice: s.cost_price,
    listPrice: Number(s.price),
    sellable: Number(s.sellable),
    siblings: Number(s.n),
    weight: 0,
  }));
  // Some products sell far better than others (the best sellers and the slow movers).
  const popularity = new Map<string, number>();
  for (const s of skus) if (!popularity.has(s.productId)) popularity.set(s.productId, rand() ** 3);
  for (const s of skus) s.weight = popularity.get(s.productId)!;
  const totalWeight = skus.reduce((sum, s) => sum + s.weight, 0);
  if (skus.length === 0) return summary;

  const pickSku = (quantity: number): DemoSku | undefined => {
    for (let tries = 0; tries < 20; tries++) {
      let r = rand() * totalWeight;
      let sku = skus[skus.length - 1];
      for (const s of skus) {
        r -= s.weight;
        if (r <= 0) {
          sku = s;
          break;
        }
      }
      if (sku.sellable >= quantity + 3) return sku;
    }
    return undefined;
  };

  const pickBuyer = (t: number, withCoupon = false): DemoBuyer | undefined => {
    let joined = 0;
    while (joined < buyers.length && buyers[joined].joined < t - 30 * MINUTE) joined++;
    if (joined === 0) return undefined;
    if (withCoupon) {
      const holders = buyers.slice(0, joined).filter((b) => b.claims.size > 0);
      if (holders.length) return holders[Math.floor(rand() * holders.length)];
    }
    for (let tries = 0; tries < 40; tries++) {
      const b = buyers[Math.floor(rand() * joined)];
      // The demo distributor's team buys more than the rest of the shop (their dashboard has life).
      if (rand() < b.appetite * (b.tier ? 1 : 0.45)) return b;
    }
    return buyers[Math.floor(rand() * joined)];
  };

  // ---- The use-cases, each at its moment. ----

  /** One to three SKUs the shop has enough of (taken off the plan's stock at once). */
  const pickLines = () => {
    const lineCount = rand() < 0.6 ? 1 : rand() < 0.75 ? 2 : 3;
    const lines = new Map<string, { sku: DemoSku; quantity: number }>();
    for (let i = 0; i < lineCount; i++) {
      const quantity = rand() < 0.8 ? 1 : 2;
      const sku = pickSku(quantity);
      if (sku && !lines.has(sku.id)) lines.set(sku.id, { sku, quantity });
    }
    return [...lines.values()];
  };

  const placeOrder = async (buyer: DemoBuyer, fate: Fate) => {
    const lines = pickLines();
    if (lines.length === 0) return;
    const listTotal = lines.reduce((sum, l) => sum + l.sku.listPrice * l.quantity, 0);
    // A claimed coupon is used when it applies (¥20 off needs ¥100 after the member's price: keep a margin).
    const coupon = [...buyer.claims].find((code) => code !== "WELCOME20" || listTotal >= 150);
    let pointsToUse = 0;
    if (buyer.paidOrders > 1 && chance(0.35)) {
      const [{ points }] = await db.query<{ points: number }>(
        "SELECT points_balance AS points FROM users WHERE id = $1",
        [buyer.row.id],
      );
      pointsToUse = Math.floor(Math.min(points, listTotal * 20) / 100) * 100;
    }
    const first = !buyer.ordered;
    const referrer = arriveThroughLink(buyer, lines[0].sku.productId, clock);
    const { order } = await createOrder(
      shop,
      buyer.row,
      {
        items: lines.map((l) => ({ productId: l.sku.productId, skuId: l.sku.id, quantity: l.quantity })),
        couponCode: coupon,
        pointsToUse,
        address: buyer.address,
      },
      `demo-${summary.orders + 1}`,
      referrer,
      first ? (tx) => keepCheckoutAddress(tx, shop.box, String(buyer.row.id), buyer.address, false) : undefined,
    );
    buyer.ordered = true;
    summary.orders++;
    for (const l of lines) l.sku.sellable -= l.quantity;
    if (coupon) buyer.claims.delete(coupon);
    const demo: DemoOrder = {
      id: String(order.id),
      buyer,
      lines: lines.map((l) => ({ skuId: l.sku.id, quantity: l.quantity })),
      coupon,
      fate,
      status: "pending_payment",
    };
    if (fate === "expire") {
      // Never paid: expired at its deadline (stock, points and coupon come back).
      at(clock + 31 * MINUTE, async () => {
        await expireDueOrders(shop);
        await unpaidEnds(demo);
      });
      return;
    }
    if (fate === "cancel") {
      at(clock + between(3, 25) * MINUTE, async () => {
        await cancelOrder(shop, demo.id, buyer.row);
        await unpaidEnds(demo);
      });
      return;
    }
    at(clock + between(1, 12) * MINUTE, () => pay(demo));
  };

  /** An unpaid order gave back its stock and coupon (the service did; the plan follows). */
  const unpaidEnds = (order: DemoOrder) => {
    for (const l of order.lines) skus.find((s) => s.id === l.skuId)!.sellable += l.quantity;
    if (order.coupon) order.buyer.claims.add(order.coupon);
    order.status = "cancelled";
    return Promise.resolve();
  };

  const webhook = async (paymentId: string, amount: string, status: "succeeded" | "failed") => {
    const body = JSON.stringify({ eventId: `evt_${randomToken(9)}`, paymentId, amount, status });
    await receiveWebhook(shop, body, await provider.sign(body));
  };

  const pay = async (order: DemoOrder) => {
    const payment = await startPayment(shop, order.id, order.buyer.row);
    // Now and then the first attempt fails (a declined card) and the buyer pays again.
    if (chance(0.02)) await webhook(payment.id, payment.amount, "failed");
    await webhook(payment.id, payment.amount, "succeeded");
    order.status = "paid";
    order.buyer.paidOrders++;
    summary.paid++;
    if (order.fate === "refund_before_shipping" || (order.fate === "rejected_refund" && chance(0.5))) {
      const asked = clock + between(40, 240) * MINUTE;
      at(asked, () => askRefund(order, "refund_only", "不想要了，还没发货请帮我取消", true));
      at(asked + between(1, 4) * HOUR, () => decideRefund(order));
    }
    at(clock + between(16, 30) * HOUR, () => ship(order));
  };

  const ship = async (order: DemoOrder) => {
    if (order.status !== "paid") return; // refunded before it left, or still waiting for a decision
    await shipOrder(shop, order.id, manager, {
      carrier: CARRIERS[Math.floor(rand() * CARRIERS.length)],
      trackingNumber: trackingNumber(),
    });
    order.status = "shipped";
    // Most buyers confirm receipt; the others are confirmed by the sweep after the auto-confirm days.
    if (chance(0.7)) at(clock + between(1.5, 5) * DAY, () => receive(order));
  };

  const receive = async (order: DemoOrder) => {
    if (order.status !== "shipped") return;
    await confirmReceipt(shop, order.id, order.buyer.row);
    order.status = "delivered";
    afterReceipt(order);
  };

  /** What the buyer does after receiving an order whose fate is an after-sales request. */
  const afterReceipt = (order: DemoOrder) => {
    const after = clock + between(0.5, 4) * DAY;
    const decide = after + between(3, 30) * HOUR;
    if (order.fate === "return_refund") {
      at(after, () => askRefund(order, "return_refund", "尺码不合适，申请退货退款", chance(0.5)));
      at(decide, () => decideRefund(order));
    } else if (order.fate === "exchange") {
      at(after, () => askRefund(order, "exchange", "颜色发错了，请换一件", false));
      at(decide, () => decideRefund(order));
    } else if (order.fate === "partial_refund") {
      at(after, () => askRefund(order, "refund_only", "外包装破损，申请部分退款", false));
      at(decide, () => decideRefund(order));
    } else if (order.fate === "rejected_refund") {
      at(after, () => askRefund(order, "return_refund", "用了几天不喜欢", false));
      at(decide, () => decideRefund(order, false));
    }
  };

  const refundOf = new Map<string, { id: string; kind: string }>();
  const askRefund = async (
    order: DemoOrder,
    kind: "refund_only" | "return_refund" | "exchange",
    reason: string,
    everything: boolean,
  ) => {
    if (order.status !== "paid" && order.status !== "delivered") return;
    const items = await orderItems(db, order.id);
    const chosen = everything ? items : [items[Math.floor(rand() * items.length)]];
    const refund = await requestRefund(shop, order.id, order.buyer.row, {
      kind,
      reason,
      items: chosen.map((i) => ({ orderItemId: String(i.id), quantity: everything ? i.quantity : 1 })),
    });
    refundOf.set(order.id, { id: String(refund.id), kind });
    order.status = "refund_requested";
    summary.refunds++;
  };

  const decideRefund = async (order: DemoOrder, approve = order.fate !== "rejected_refund") => {
    const refund = refundOf.get(order.id);
    if (!refund || order.status !== "refund_requested") return;
    refundOf.delete(order.id);
    if (approve) await approveRefund(shop, refund.id, manager, null, refund.kind === "exchange" ? "已安排换货" : null);
    else await rejectRefund(shop, refund.id, manager, "商品已使用，不符合退货条件", null);
    const [row] = await db.query<{ status: string }>("SELECT status FROM orders WHERE id = $1", [order.id]);
    order.status = row.status === "partially_refunded" ? "delivered" : row.status;
    // Returned goods are back on the shelf.
    if (approve && (refund.kind === "return_refund" || row.status === "refunded")) {
      const [back] = await db.query<{ skus: { sku: string; n: number }[] }>(
        `SELECT coalesce(jsonb_agg(jsonb_build_object('sku', sku_id::text, 'n', on_hand_delta)), '[]') AS skus
           FROM stock_movements WHERE order_id = $1 AND reason = 'refund_return'`,
        [order.id],
      );
      for (const m of back.skus) {
        const sku = skus.find((s) => s.id === m.sku);
        if (sku) sku.sellable += m.n;
      }
    }
  };

  /** A day's orders placed at `times` and paid minutes later, written at once; shipped the next day. */
  const bulkDay = async (times: number[], nextDay: number) => {
    const planned: { buyer: DemoBuyer; order: BulkOrder }[] = [];
    for (const t of times) {
      const buyer = pickBuyer(t);
      const lines = pickLines();
      if (!buyer || lines.length === 0) continue;
      for (const l of lines) l.sku.sellable -= l.quantity;
      planned.push({
        buyer,
        order: {
          buyerId: String(buyer.row.id),
          placedAt: new Date(t),
          paidAt: new Date(Math.min(t + between(1, 12) * MINUTE, nextDay - 20_000)),
          lines,
          address: buyer.address,
          key: `demo-${summary.orders + planned.length + 1}`,
          referrerId: arriveThroughLink(buyer, lines[0].sku.productId, t),
        },
      });
    }
    await visits.flush();
    const ids = await writePaidOrders(db, shop.box, planned.map((p) => p.order));
    const shipments: { order: DemoOrder; shipment: BulkShipment }[] = [];
    planned.forEach(({ buyer, order: o }, i) => {
      buyer.ordered = true;
      buyer.paidOrders++;
      bulkOpen.add(ids[i]);
      // A few of them come back as after-sales requests, handled by the use-cases (each kind at least
      // once, from the first orders after the first week).
      const r = rand();
      const chosen: Fate = r < 0.012
        ? "refund_before_shipping"
        : r < 0.027
        ? "return_refund"
        : r < 0.035
        ? "exchange"
        : r < 0.045
        ? "partial_refund"
        : r < 0.052
        ? "rejected_refund"
        : "keep";
      const order: DemoOrder = {
        id: ids[i],
        buyer,
        lines: o.lines.map((l) => ({ skuId: l.sku.id, quantity: l.quantity })),
        fate: chosen === "keep" && nextDay - start.getTime() > 7 * DAY ? everyKind.shift() ?? "keep" : chosen,
        status: "paid",
      };
      if (order.fate === "refund_before_shipping") {
        const asked = nextDay + between(0.2, 6) * HOUR;
        at(asked, () => askRefund(order, "refund_only", "拍错了，还没发货请帮我退款", true));
        at(asked + between(1, 3) * HOUR, () => decideRefund(order));
      }
      const shipped = nextDay + between(9, 17.9) * HOUR;
      shipments.push({
        order,
        shipment: {
          orderId: ids[i],
          at: new Date(shipped),
          carrier: CARRIERS[Math.floor(rand() * CARRIERS.length)],
          trackingNumber: trackingNumber(),
        },
      });
      // Most buyers confirm receipt; the sweep receives the others after the auto-confirm days.
      if (order.fate !== "keep" || chance(0.7)) receiptOn(shipped + between(1.5, 5) * DAY, order);
    });
    // The warehouse ships the day's orders the next day (the timeline keeps each one's moment).
    at(nextDay + 18 * HOUR, async () => {
      const ready = shipments.filter((s) => s.order.status === "paid");
      await shipPaidOrders(db, manager, ready.map((s) => s.shipment));
      for (const s of ready) s.order.status = "shipped";
    });
    summary.orders += planned.length;
    summary.paid += planned.length;
  };

  /** After-sales kinds the history shows at least once whatever the dice say. */
  const everyKind: Fate[] = [
    "refund_before_shipping",
    "return_refund",
    "exchange",
    "partial_refund",
    "rejected_refund",
  ];
  /** Open orders written in bulk, swept by `sweepOrders` just before each scheduler sweep. */
  const bulkOpen = new Set<string>();
  /** Receipts the buyers of bulk orders confirm, by day (each day's written at its end). */
  const receipts = new Map<number, { order: DemoOrder; at: number }[]>();
  const receiptOn = (t: number, order: DemoOrder) => {
    const dayEnd = dayStart(Math.floor((t - start.getTime()) / DAY)) + DAY - 30_000;
    let list = receipts.get(dayEnd);
    if (!list) {
      const due: { order: DemoOrder; at: number }[] = list = [];
      receipts.set(dayEnd, due);
      at(dayEnd, async () => {
        const shipped = due.filter((r) => r.order.status === "shipped");
        await confirmShippedOrders(db, shipped.map((r) => ({ orderId: r.order.id, at: new Date(r.at) })));
        for (const r of shipped) {
          r.order.status = "delivered";
          afterReceipt(r.order);
        }
      });
    }
    list.push({ order, at: Math.min(t, dayEnd - 1_000) });
  };
  /**
   * The scheduler's work at this moment: the orders written in bulk first, then its own sweep (the few
   * orders of older days placed one by one wait at most a few days for it) and its daily part.
   */
  const sweep = async (due: boolean, daily: boolean) => {
    for (const id of await sweepOrders(db, [...bulkOpen], now())) bulkOpen.delete(id);
    if (due) await scheduler.sweepDue();
    if (daily) await scheduler.sweepHourly({ alerts: false });
  };
  const trackingNumber = () => `SF${String(Math.floor(rand() * 1e12)).padStart(12, "0")}`;

  /** Claims so far (`user:code`): a coupon is claimed once per member. */
  const claimed = new Set<string>();
  const claim = async (buyer: DemoBuyer, code: string) => {
    if (claimed.has(`${buyer.row.id}:${code}`)) return;
    await claimCoupon(db, buyer.row, code, now());
    claimed.add(`${buyer.row.id}:${code}`);
    buyer.claims.add(code);
  };

  const withdraw = async (member: UserRow, share: number, decision: "pay" | "reject" | "wait", least = 50) => {
    const { available } = await balancesOf(db, String(member.id));
    const amount = Math.floor((Number(available) * share) / 10) * 10;
    if (amount < least) return;
    const w = await requestWithdrawal(db, member, amount.toFixed(2), `demo-w-${summary.withdrawals + 1}`, now());
    summary.withdrawals++;
    if (decision === "wait") return;
    at(clock + between(14, 26) * HOUR, async () => {
      if (decision === "reject") {
        await rejectWithdrawal(db, manager, String(w.id), "收款账户信息有误，请核对后重新申请", null, now());
        return;
      }
      // Refunds may have clawed back commission since the request: then it waits for later earnings.
      if (Number((await balancesOf(db, String(member.id))).available) < 0) return;
      await approveWithdrawal(db, manager, String(w.id), null, sandboxPayouts, now());
    });
  };

  // ---- The plan. ----

  const startDay = shopCalendar(start);
  const dayStart = (d: number) => shopMidnight(startDay.year, startDay.month, startDay.day + d).getTime();
  const hourWeight = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const timeOfDay = () => {
    let r = rand() * hourWeight;
    let h = 0;
    while (h < 23 && (r -= HOUR_WEIGHTS[h]) > 0) h++;
    return (h + rand()) * HOUR;
  };
  const fate = (): Fate => {
    const r = rand() * 0.6;
    return r < 0.03
      ? "expire"
      : r < 0.05
      ? "cancel"
      : r < 0.075
      ? "refund_before_shipping"
      : r < 0.105
      ? "return_refund"
      : r < 0.115
      ? "exchange"
      : r < 0.13
      ? "partial_refund"
      : r < 0.14
      ? "rejected_refund"
      : "keep";
  };
  const [fromRate, toRate] = counts.ordersPerDay;
  const topEarners = buyers.filter((b) => b.tier === 1 && b !== demoShopper).slice(0, 8);
  for (let d = 0; d < counts.days; d++) {
    const from = dayStart(d);
    // The scheduler's work, at midnight (with its daily part: ranks, points, settlement periods) and, on
    // the days lived order by order, at noon; the distributors' sales-drop alerts are raised once, by the
    // full sweep at the end.
    const live = d >= counts.days - counts.liveDays;
    at(from + 5_000, () => sweep(live || d % 3 === 0, true));
    if (live) at(from + 12 * HOUR + 5_000, () => sweep(true, false));
    const { weekday } = shopCalendar(from);
    const rate = (fromRate + (toRate - fromRate) * (d / Math.max(counts.days - 1, 1))) *
      (weekday >= 5 ? 1.25 : 1) * between(0.8, 1.2);
    const n = Math.round(rate);
    if (!live) {
      // An older day: its orders written at its end, a day's worth at a time, then shipped the next day;
      // now and then a member who collected a coupon uses it, through the use-cases like every checkout.
      const times = Array.from({ length: n }, () => ({ t: from + timeOfDay(), coupon: chance(0.08) }))
        .sort((a, b) => a.t - b.t);
      at(from + DAY - 10_000, () => bulkDay(times.filter((x) => !x.coupon).map((x) => x.t), from + DAY));
      for (const { t } of times.filter((x) => x.coupon)) {
        at(t, async () => {
          const buyer = pickBuyer(t, true);
          if (buyer) await placeOrder(buyer, "keep");
        });
      }
    } else {
      for (let i = 0; i < n; i++) {
        const t = from + timeOfDay();
        at(t, async () => {
          const buyer = pickBuyer(t);
          if (buyer) await placeOrder(buyer, fate());
        });
      }
    }
    // Members collect coupons from the 领券 strip.
    for (let i = 0; i < (live ? Math.max(2, Math.round(n / 2)) : 1 + Math.floor(rand() * 2)); i++) {
      const t = from + timeOfDay();
      at(t, async () => {
        const buyer = pickBuyer(t);
        if (buyer) await claim(buyer, CLAIMABLE[Math.floor(rand() * CLAIMABLE.length)]);
      });
    }
    // Visitors of the shop and clicks on the distributors' links, counted as the app counts them.
    // (Today's are counted a minute before now.)
    const counted = Math.min(from + 23 * HOUR + 59 * MINUTE, endMs - MINUTE);
    const seenAt = () => new Date(Math.min(from + timeOfDay(), counted - 1_000));
    at(counted, async () => {
      const seen = n * 10 + Math.floor(rand() * 40);
      for (let v = 0; v < seen; v++) visits.visit(`demo-visitor-${d}-${v}`, seenAt());
      const clicks = live ? 4 + Math.floor(rand() * (6 + n)) : 1 + Math.floor(rand() * 3);
      for (let c = 0; c < clicks; c++) {
        const owner = c % 3 === 2 && topEarners.length ? topEarners[c % topEarners.length].row : root;
        const sku = skus[Math.floor(rand() * skus.length)];
        visits.click({
          code: owner.referral_code.toUpperCase(),
          productId: rand() < 0.5 ? sku.productId : null,
          visitor: `demo-click-${d}-${c}`,
        }, seenAt());
      }
      await visits.flush();
    });
  }
  const lastDay = counts.days - 1;
  const dayAt = (d: number, hour: number) => dayStart(Math.max(0, Math.min(d, lastDay))) + hour * HOUR;

  // The demo shopper (member1): orders every week or two, coupons, points, a return; at the end one
  // order on its way and one waiting to be paid.
  for (let d = 3; d < lastDay - 3; d += 9 + Math.floor(rand() * 6)) {
    at(dayAt(d, 20.5), () => placeOrder(demoShopper, d > 30 && d < 40 ? "return_refund" : "keep"));
  }
  at(dayAt(lastDay - 20, 12.2), () => claim(demoShopper, "WELCOME20"));
  at(dayAt(lastDay - 2, 19.8), () => placeOrder(demoShopper, "keep"));
  at(dayAt(lastDay - 1, 9.5), () => claim(demoShopper, "SAVE10"));
  at(endMs - 8 * MINUTE, () => placeOrder(demoShopper, "expire"));

  // Distributor applications: a few tier-1 members apply and are approved (one is not); two wait.
  const applicants = topEarners.slice(0, 6);
  applicants.forEach((b, i) => {
    const asked = dayAt(18 + i, 21);
    at(asked, async () => {
      await applyAsDistributor(db, b.row, {
        contact: b.address.phone,
        channels: "微信朋友圈、小红书分享好物",
        experience: i % 2 ? "做过两年社区团购团长" : "",
      });
    });
    at(asked + between(14, 20) * HOUR, async () => {
      const [app] = await db.query<{ id: string }>(
        "SELECT id::text FROM distributor_applications WHERE user_id = $1 AND status = 'pending'",
        [b.row.id],
      );
      if (!app) return;
      const ok = i !== 4;
      await decideApplication(
        db,
        manager,
        app.id,
        ok,
        ok ? "团队活跃，资料齐全" : "推广渠道说明不够具体，请补充后再申请",
        null,
        now(),
      );
      if (ok) b.row = { ...b.row, role: "distributor" };
    });
  });
  for (const b of buyers.filter((x) => x.tier === 2).slice(0, 2)) {
    at(
      dayAt(lastDay, 1) + between(0, 6) * HOUR,
      () =>
        applyAsDistributor(db, b.row, { contact: b.address.phone, channels: "抖音短视频带货", experience: "" }).then(
          () => {},
        ),
    );
  }

  // The demo distributor withdraws every two weeks (one request is rejected, the last one waits);
  // the busiest tier-1 members withdraw too.
  for (const [i, d] of [26, 40, 54, 68, 82].entries()) {
    if (d >= lastDay) break;
    at(dayAt(d, 20), () => withdraw(root, 0.8, i === 2 ? "reject" : "pay"));
  }
  at(endMs - 3 * HOUR, () => withdraw(root, 0.5, "wait", 10));
  // Orders that were never paid: one the buyer cancelled, one that expired.
  at(dayAt(lastDay - 1, 14.5), async () => {
    const buyer = pickBuyer(clock);
    if (buyer) await placeOrder(buyer, "cancel");
  });
  at(dayAt(lastDay - 2, 16.2), async () => {
    const buyer = pickBuyer(clock);
    if (buyer) await placeOrder(buyer, "expire");
  });
  for (const d of [35, 63]) {
    if (d >= lastDay) continue;
    topEarners.slice(0, 4).forEach((b, i) => at(dayAt(d, 21 + i / 4), () => withdraw(b.row, 0.9, "pay")));
  }

  // A restock of the single-SKU products that ran low, halfway through.
  at(dayAt(Math.floor(counts.days / 2), 10), async () => {
    const low = [...new Map(skus.filter((s) => s.siblings === 1 && s.sellable < 15).map((s) => [s.productId, s]))
      .values()].slice(0, 12);
    for (const s of low) {
      const [{ stock }] = await db.query<{ stock: number }>("SELECT stock FROM product_skus WHERE id = $1", [s.id]);
      await updateProduct(db, manager, s.productId, { stock: Number(stock) + 200 }, null);
      s.sellable += 200;
    }
  });

  // ---- Run it, moment by moment, then catch up to now. ----
  for (let action = agenda.next(); action; action = agenda.next()) {
    clock = Math.max(clock, action.at);
    await action.run();
  }
  clock = endMs;
  for (const id of await sweepOrders(db, [...bulkOpen], now())) bulkOpen.delete(id);
  await scheduler.sweep();
  await visits.flush();
  await db.release();
  return summary;
}

async function firstManager(db: Db): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>("SELECT * FROM users WHERE role = 'manager' ORDER BY id LIMIT 1");
  return row;
}
