import assert from "node:assert/strict";
import { closureRowsFor, isReferralCode, MAX_TIERS, referralCodeFrom } from "./referral.ts";

Deno.test("referralCodeFrom() makes 8 unambiguous characters that isReferralCode() accepts", () => {
  const code = referralCodeFrom(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 255]));
  assert.equal(code.length, 8);
  assert.ok(isReferralCode(code));
  assert.doesNotMatch(code, /[01OIL]/);
  assert.equal(isReferralCode("ABC"), false);
});

Deno.test("closureRowsFor() keeps at most three tiers, nearest first", () => {
  const rows = closureRowsFor("9", "5", ["4", "3", "2", "1"]);
  assert.equal(rows.length, MAX_TIERS);
  assert.deepEqual(rows.map((r) => [r.ancestorId, r.depth]), [["5", 1], ["4", 2], ["3", 3]]);
  assert.deepEqual(closureRowsFor("9", null, []), []);
});

Deno.test("closureRowsFor() refuses self-referral and cycles", () => {
  assert.throws(() => closureRowsFor("5", "5", []), /cycle/);
  assert.throws(() => closureRowsFor("3", "5", ["4", "3"]), /cycle/);
});
