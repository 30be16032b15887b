import assert from "node:assert/strict";
import { couponFace } from "./coupon_face.ts";

Deno.test("couponFace() shows yuan off without trailing zeros and a share as % and 折", () => {
  assert.deepEqual(couponFace("amount_off", "20.00"), { kind: "amount_off", amount: "20" });
  assert.deepEqual(couponFace("amount_off", "9.90"), { kind: "amount_off", amount: "9.9" });
  assert.deepEqual(couponFace("percent_off", "0.10"), { kind: "percent_off", percent: "10", zhe: "9" });
  assert.deepEqual(couponFace("percent_off", "0.15"), { kind: "percent_off", percent: "15", zhe: "8.5" });
  assert.deepEqual(couponFace("percent_off", "0.125"), { kind: "percent_off", percent: "12.5", zhe: "8.75" });
});
