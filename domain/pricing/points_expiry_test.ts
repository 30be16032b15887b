import assert from "node:assert/strict";
import { pointsToExpire } from "./points_expiry.ts";

const at = (d: string) => new Date(`${d}T00:00:00Z`);

Deno.test("pointsToExpire() expires what is left of expired batches, oldest spent first", () => {
  const lines = [
    { delta: 100, reason: "earn" as const, expiresAt: at("2026-01-01") },
    { delta: 50, reason: "earn" as const, expiresAt: at("2027-01-01") },
    { delta: -30, reason: "spend" as const, expiresAt: null },
  ];
  assert.equal(pointsToExpire(lines, at("2025-12-31")), 0);
  assert.equal(pointsToExpire(lines, at("2026-06-01")), 70);
  assert.equal(pointsToExpire([...lines, { delta: -70, reason: "expire", expiresAt: null }], at("2026-06-01")), 0);
  assert.equal(pointsToExpire(lines, at("2027-06-01")), 120);
});
