import assert from "node:assert/strict";
import {
  fromShopLocalInput,
  SHOP_TIME_ZONE,
  shopCalendar,
  shopDateTime,
  shopDay,
  shopDayBefore,
  shopMidnight,
  shopMinute,
  shopMonthStart,
  shortTime,
  toShopLocalInput,
} from "./shop_time.ts";

Deno.test("shopDay() turns at midnight shop time, from a Date, an ISO string or milliseconds", () => {
  assert.equal(shopDay("2026-11-22T15:59:59Z"), "2026-11-22");
  assert.equal(shopDay(new Date("2026-11-22T16:00:00Z")), "2026-11-23");
  assert.equal(shopDay(Date.parse("2026-12-31T16:00:00Z")), "2027-01-01");
  assert.equal(shopDayBefore("2026-11-01T01:00:00Z", 1), "2026-10-31");
  assert.equal(shopDayBefore("2026-11-01T01:00:00Z", 0), "2026-11-01");
});

Deno.test("shopMonthStart()/shopMidnight()/shopCalendar() agree with the zone's calendar", () => {
  assert.equal(shopMonthStart("2026-11-30T16:30:00Z").toISOString(), "2026-11-30T16:00:00.000Z"); // 1 Dec 00:30
  assert.equal(shopMonthStart("2026-11-30T15:30:00Z").toISOString(), "2026-10-31T16:00:00.000Z");
  assert.equal(shopMidnight(2026, 12, 1).toISOString(), "2026-12-31T16:00:00.000Z", "months roll over");
  assert.deepEqual(shopCalendar("2026-11-22T16:00:00Z"), { year: 2026, month: 10, day: 23, weekday: 0 }); // a Monday
  // The fixed offset and the IANA zone say the same thing at every hour of a year.
  for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 3_600_000) {
    const { year, month, day } = shopCalendar(t);
    assert.equal(`${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`, shopDay(t));
  }
});

Deno.test("shortTime()/shopMinute() and the datetime-local round trip use shop time", () => {
  assert.equal(shortTime("2026-11-22T01:30:00Z"), "11/22 09:30");
  assert.equal(shopMinute("2026-11-22T02:30:20Z"), "10:30");
  assert.equal(toShopLocalInput("2026-11-22T01:30:00.000Z"), "2026-11-22T09:30");
  assert.equal(toShopLocalInput(null), "");
  assert.equal(fromShopLocalInput("2026-11-22T09:30"), "2026-11-22T09:30:00+08:00");
  assert.equal(
    new Date(fromShopLocalInput(toShopLocalInput("2026-11-22T01:30:00Z"))).toISOString(),
    "2026-11-22T01:30:00.000Z",
  );
  assert.equal(fromShopLocalInput("tomorrow"), "tomorrow");
});

Deno.test("shopDay() agrees with Intl in the shop's zone at every hour over several years", () => {
  const zone = new Intl.DateTimeFormat("en-CA", { timeZone: SHOP_TIME_ZONE });
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000 + 61_000) {
    assert.equal(shopDay(t), zone.format(new Date(t)));
  }
});

Deno.test("shopDateTime() writes the full date and minute in shop time, turning at shop midnight", () => {
  assert.equal(shopDateTime("2026-11-22T15:59:59Z"), "2026-11-22 23:59");
  assert.equal(shopDateTime(new Date("2026-11-22T16:00:00Z")), "2026-11-23 00:00");
  assert.equal(shopDateTime(Date.parse("2026-12-31T16:30:00Z")), "2027-01-01 00:30");
  // The same minute as shortTime() (which also leaves out the year).
  assert.equal(shopDateTime("2026-12-03T12:07:00Z").slice(5).replace("-", "/"), shortTime("2026-12-03T12:07:00Z"));
});
