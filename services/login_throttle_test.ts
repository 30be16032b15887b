import assert from "node:assert/strict";
import { delayAfter } from "./login_throttle.ts";

const policy = {
  maxFailures: 10,
  windowMinutes: 15,
  suspectFailures: 5,
  maxDelaySeconds: 60,
  ipMaxFailures: 100,
  deviceDays: 1,
};

Deno.test("delayAfter() lets the first failures through, then doubles the wait up to the cap", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => delayAfter(n, policy)), [0, 0, 0, 0]);
  assert.deepEqual([5, 6, 7, 8, 9].map((n) => delayAfter(n, policy)), [1, 2, 4, 8, 16]);
  assert.equal(delayAfter(30, policy), 60);
});
