import assert from "node:assert/strict";
import { countdownParts, flashPhase, isShopPath, linkHref, moveInOrder, scheduleState, twoDigits } from "./home.ts";

Deno.test("isShopPath() takes shop pages and refuses other sites, the console, the API and markup", () => {
  for (
    const ok of [
      "/",
      "/?sort=newest",
      "/products/12",
      "/?category=beauty&sort=price_asc",
      "/?q=面霜",
      "/account/coupons",
    ]
  ) {
    assert.ok(isShopPath(ok), ok);
  }
  for (
    const bad of [
      "",
      "products/12",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "/admin",
      "/admin/staff",
      "/ADMIN/x",
      "/api/me",
      "/_islands/x.js",
      "/sandbox/pay",
      "/logout",
      "/images/banners/1.webp",
      "/a b",
      '/x"onmouseover=1',
      "/<script>",
      "/x\u0000",
      `/${"a".repeat(200)}`,
    ]
  ) {
    assert.ok(!isShopPath(bad), bad);
  }
  assert.ok(isShopPath("/administrators-picks"), "only the /admin area itself is refused");
});

Deno.test("linkHref() opens a product, a category list or the path", () => {
  assert.equal(linkHref("product", "42"), "/products/42");
  assert.equal(linkHref("category", "home & living"), "/?category=home%20%26%20living");
  assert.equal(linkHref("path", "/?sort=newest"), "/?sort=newest");
});

Deno.test("scheduleState() is live inside [start, end), scheduled before, ended after, disabled when off", () => {
  const at = Date.parse("2026-12-01T12:00:00Z");
  const item = (startsAt: string | null, endsAt: string | null, enabled = true) => ({ enabled, startsAt, endsAt });
  assert.equal(scheduleState(item(null, null), at), "live");
  assert.equal(scheduleState(item("2026-12-01T12:00:00Z", null), at), "live", "the start is inclusive");
  assert.equal(scheduleState(item("2026-12-01T12:00:01Z", null), at), "scheduled");
  assert.equal(scheduleState(item(null, "2026-12-01T12:00:00Z"), at), "ended", "the end is exclusive");
  assert.equal(scheduleState(item(null, "2026-12-01T20:00:00+08:00"), at), "ended");
  assert.equal(scheduleState(item(null, null, false), at), "disabled");
});

Deno.test("moveInOrder() swaps with the neighbour, keeps the ends, and is null for an unknown id", () => {
  assert.deepEqual(moveInOrder(["a", "b", "c"], "c", "up"), ["a", "c", "b"]);
  assert.deepEqual(moveInOrder(["a", "b", "c"], "a", "down"), ["b", "a", "c"]);
  assert.deepEqual(moveInOrder(["a", "b", "c"], "a", "up"), ["a", "b", "c"]);
  assert.deepEqual(moveInOrder(["a", "b", "c"], "c", "down"), ["a", "b", "c"]);
  assert.equal(moveInOrder(["a"], "z", "up"), null);
  const ids = ["1", "2", "3", "4"];
  moveInOrder(ids, "2", "up");
  assert.deepEqual(ids, ["1", "2", "3", "4"], "the input is not changed");
});

Deno.test("flashPhase() and countdownParts() count to the start, then to the end, from absolute times", () => {
  const start = "2026-12-05T20:00:00+08:00";
  const end = "2026-12-07T00:00:00+08:00";
  const before = Date.parse("2026-12-05T11:58:30Z"); // 19:58:30 shop time
  assert.equal(flashPhase(start, end, before), "upcoming");
  assert.deepEqual(countdownParts(start, before), { days: 0, hours: 0, minutes: 1, seconds: 30 });
  const during = Date.parse(start);
  assert.equal(flashPhase(start, end, during), "running");
  assert.deepEqual(countdownParts(end, during), { days: 1, hours: 4, minutes: 0, seconds: 0 });
  assert.deepEqual(countdownParts(end, during + 999), { days: 1, hours: 3, minutes: 59, seconds: 59 }, "whole seconds");
  assert.equal(flashPhase(start, end, Date.parse(end)), "ended");
  assert.deepEqual(countdownParts(end, Date.parse(end) + 5000), { days: 0, hours: 0, minutes: 0, seconds: 0 });
  assert.equal(twoDigits(7), "07");
  assert.equal(twoDigits(12), "12");
});
