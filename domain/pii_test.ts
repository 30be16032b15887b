import assert from "node:assert/strict";
import { maskContact, maskIdNumber, maskPhone } from "./pii.ts";
import { can } from "./permissions.ts";

Deno.test("maskPhone() and maskIdNumber() keep only the ends", () => {
  assert.equal(maskPhone("13812341234"), "138****1234");
  assert.equal(maskPhone("+86 138-1234-1234"), "861******1234");
  assert.equal(maskIdNumber("110101199001011234"), "110***********1234");
  assert.equal(maskIdNumber("123"), "***");
});

Deno.test("maskContact() masks a phone like maskPhone() and a WeChat id to its first and last 2 characters", () => {
  assert.equal(maskContact("13812341234"), "138****1234");
  assert.equal(maskContact(" 138 1234 1234 "), "138****1234");
  assert.equal(maskContact("wxid_abc123"), "wx*******23");
  assert.equal(maskContact("wechat: abc"), "we*******bc");
  assert.equal(maskContact("微信号 zhang_san88"), "微信***********88");
  assert.equal(maskContact("abcde"), "*****");
});

Deno.test("can() follows the permission table", () => {
  assert.equal(can("support", "pii.read"), false);
  assert.equal(can("finance", "withdrawals.approve"), true);
  assert.equal(can("operations", "plan.write"), false);
  assert.equal(can("admin", "plan.write"), true);
});
