import assert from "node:assert/strict";
import { duePeriod, periodEnd, periodStart } from "./periods.ts";

const iso = (d: Date) => d.toISOString();

Deno.test("periodStart()/periodEnd() follow China-time boundaries for each kind", () => {
  const at = new Date("2026-11-21T20:00:00Z"); // 2026-11-22 04:00 in Shanghai (a Sunday)
  assert.equal(iso(periodStart("monthly", at)), "2026-10-31T16:00:00.000Z");
  assert.equal(iso(periodEnd("monthly", periodStart("monthly", at))), "2026-11-30T16:00:00.000Z");
  assert.equal(iso(periodStart("semi_monthly", at)), "2026-11-15T16:00:00.000Z");
  assert.equal(iso(periodEnd("semi_monthly", periodStart("semi_monthly", at))), "2026-11-30T16:00:00.000Z");
  assert.equal(iso(periodStart("weekly", at)), "2026-11-15T16:00:00.000Z"); // Monday 16 Nov
  assert.equal(iso(periodEnd("weekly", periodStart("weekly", at))), "2026-11-22T16:00:00.000Z");
});

Deno.test("duePeriod() closes only periods that have ended", () => {
  const first = new Date("2026-10-05T00:00:00Z");
  const due = duePeriod("monthly", null, first, new Date("2026-11-21T00:00:00Z"))!;
  assert.deepEqual([iso(due.start), iso(due.end)], ["2026-09-30T16:00:00.000Z", "2026-10-31T16:00:00.000Z"]);
  assert.equal(duePeriod("monthly", due.end, first, new Date("2026-11-21T00:00:00Z")), null);
  assert.equal(duePeriod("weekly", null, null, new Date()), null);
});
