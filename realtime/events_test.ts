import assert from "node:assert/strict";
import {
  checkEventPayload,
  EVENT_KEYS,
  EVENT_TYPES,
  type EventMap,
  type EventType,
  isEventType,
  type LiveEventOf,
  type RequiredKeys,
} from "./events.ts";
import { appendEvent, appendEvents } from "../db/events_repo.ts";
import type { Db } from "../db/db.ts";

/** One complete payload per event type (the compiler checks each against the map). */
const SAMPLES: { [T in EventType]: EventMap[T] } = {
  member_joined: { memberId: "1", name: "李雷", uplineId: null },
  refund_requested: { refundId: "1", orderId: "2", number: "SM1", amount: "10.00" },
  refund_approved: { refundId: "1", orderId: "2", amount: "10.00" },
  refund_rejected: { refundId: "1", orderId: "2", note: "已超过退货期" },
  order_status: { orderId: "2", number: "SM1", status: "paid", total: "10.00" },
  stock_low: { productId: "3", name: "茶", stock: 2, threshold: 5 },
  stock_ok: { productId: "3", name: "茶", stock: 9, threshold: 5 },
  catalogue_changed: {},
  home_changed: { part: "banners" },
  withdrawal: { withdrawalId: "4", userId: "1", amount: "100.00", net: "99.00", status: "requested" },
  withdrawal_unusual: { withdrawalId: "4", userId: "1", name: "李雷", amount: "100.00", reasons: ["large"] },
  commission: { lineId: "5", orderId: "2", amount: "1.00", status: "available" },
  sale: { orderId: "2", tier: 1, amount: "10.00", buyer: "韩梅梅", commission: "1.00", day: "2026-11-22" },
  shop_sale: {
    orderId: "2",
    amount: "10.00",
    buyerPaidOrders: 1,
    buyerPaidToday: 1,
    newVisitor: false,
    tier1: null,
    commission: "1.00",
    commissionByTier: ["1.00", "0.00", "0.00"],
    items: [{ productId: "3", name: "茶", quantity: 1, lineTotal: "10.00" }],
    day: "2026-11-22",
  },
  commission_reversed: { orderId: "2", refundId: "1", total: "1.00", byTier: ["1.00", "0.00", "0.00"], tier1: [] },
  visitor: { day: "2026-11-22", count: 2 },
  link_click: { productId: null },
  sales_drop: {
    userId: "1",
    name: "李雷",
    month: "2026-11",
    days: 10,
    previous: "100.00",
    current: "50.00",
    change: "-0.5000",
  },
  rank: { from: "standard", to: "silver", reason: "team sales" },
  distributor_joined: { userId: "1" },
};

Deno.test("EVENT_KEYS lists every key each payload type requires (checked by the compiler)", () => {
  type Unlisted = { [T in EventType]: Exclude<RequiredKeys<EventMap[T]>, (typeof EVENT_KEYS)[T][number]> }[EventType];
  const allListed: [Unlisted] extends [never] ? true : Unlisted = true;
  assert.equal(allListed, true);
  assert.deepEqual([...EVENT_TYPES].sort(), Object.keys(SAMPLES).sort());
});

Deno.test("checkEventPayload() accepts every complete payload and names each missing key", () => {
  for (const type of EVENT_TYPES) {
    checkEventPayload(type, SAMPLES[type]);
    for (const key of EVENT_KEYS[type]) {
      const partial: Record<string, unknown> = { ...SAMPLES[type] };
      delete partial[key];
      assert.throws(() => checkEventPayload(type, partial), new RegExp(`the ${type} payload lacks ${key}`));
    }
  }
  // A key present with null counts as present (link_click to a shop-wide link, a member without upline).
  checkEventPayload("link_click", { productId: null });
});

Deno.test("checkEventPayload() refuses an unknown type and a payload that is not an object", () => {
  assert.throws(() => checkEventPayload("test", { n: 1 }), /unknown type "test"/);
  assert.throws(() => checkEventPayload("visitor", null), /not an object/);
  assert.throws(() => checkEventPayload("visitor", [1, 2]), /not an object/);
  assert.equal(isEventType("sale"), true);
  assert.equal(isEventType("toString"), false);
});

Deno.test("appendEvent()/appendEvents() check the payload before writing anything", async () => {
  const written: unknown[][] = [];
  const db = {
    query: (_sql: string, params: unknown[]) => (written.push(params), Promise.resolve([])),
  } as unknown as Db;
  const bad = { day: "2026-11-22" } as unknown as EventMap["visitor"];
  await assert.rejects(appendEvent(db, "visitor", bad, ["managers"]), /the visitor payload lacks count/);
  await assert.rejects(
    appendEvents(db, [
      { type: "visitor", data: SAMPLES.visitor, rooms: ["managers"] },
      { type: "visitor", data: bad, rooms: ["managers"] },
    ]),
    /lacks count/,
  );
  await assert.rejects(appendEvent(db, "visitor", SAMPLES.visitor, ["a,b"]), /may not contain commas/);
  assert.equal(written.length, 0);
  await appendEvent(db, "visitor", SAMPLES.visitor, ["managers"]);
  assert.deepEqual(written, [["visitor", "managers", JSON.stringify(SAMPLES.visitor)]]);
});

Deno.test("LiveEventOf narrows the payload by type: one shape per event type", () => {
  const tierOf = (e: LiveEventOf): number | null => {
    if (e.type === "sale") return e.data.tier; // a team sale: always a tier
    if (e.type === "shop_sale") return e.data.commissionByTier.length; // the shop-wide sale: never a tier
    if (e.type === "commission" && e.data.status !== "available") return e.data.tier;
    return null;
  };
  const at = "2026-11-22T02:00:00Z";
  assert.equal(tierOf({ id: 1, type: "sale", at, data: SAMPLES.sale }), 1);
  assert.equal(tierOf({ id: 2, type: "shop_sale", at, data: SAMPLES.shop_sale }), 3);
  assert.equal(tierOf({ id: 3, type: "commission", at, data: SAMPLES.commission }), null);
});
