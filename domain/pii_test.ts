import assert from "node:assert/strict";
import { maskIdNumber, maskPhone } from "./pii.ts";
import { can } from "./permissions.ts";

Deno.test("maskPhone() and maskIdNumber() keep only the ends", () => {
  assert.equal(maskPhone("13812341234"), "138****1234");
  assert.equal(maskPhone("+86 138-1234-1234"), "861******1234");
  assert.equal(maskIdNumber("110101199001011234"), "110***********1234");
  assert.equal(maskIdNumber("123"), "***");
});

Deno.test("can() follows the permission table", () => {
  assert.equal(can("support", "pii.read"), false);
  assert.equal(can("finance", "withdrawals.approve"), true);
  assert.equal(can("operations", "plan.write"), false);
  assert.equal(can("admin", "plan.write"), true);
});
