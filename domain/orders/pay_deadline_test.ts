import assert from "node:assert/strict";
import { countdown } from "./pay_deadline.ts";

const at = Date.parse("2026-12-03T12:00:00Z");

Deno.test("countdown() shows m:ss below an hour and h:mm:ss from an hour on, rounding seconds up", () => {
  assert.deepEqual(countdown(at + 15 * 60_000, at), { seconds: 900, text: "15:00", over: false });
  assert.deepEqual(countdown(at + 59_001, at), { seconds: 60, text: "1:00", over: false });
  assert.deepEqual(countdown(at + 200, at), { seconds: 1, text: "0:01", over: false });
  assert.deepEqual(countdown(at + 3_723_000, at), { seconds: 3723, text: "1:02:03", over: false });
  assert.deepEqual(countdown(at + 26 * 3_600_000, at), { seconds: 93_600, text: "26:00:00", over: false });
});

Deno.test("countdown() is over (0:00) at and after the deadline, and for times that are not numbers", () => {
  assert.deepEqual(countdown(at, at), { seconds: 0, text: "0:00", over: true });
  assert.deepEqual(countdown(at - 5_000, at), { seconds: 0, text: "0:00", over: true });
  assert.deepEqual(countdown(Number.NaN, at), { seconds: 0, text: "0:00", over: true });
});
