import assert from "node:assert/strict";
import { checkStatement } from "./statement_check.ts";

const statement = {
  opening: "50.00",
  credits: "120.00",
  reversals: "20.00",
  withdrawals: "100.00",
  closing: "50.00",
  lines: [
    { kind: "commission" as const, amount: "100.00" },
    { kind: "commission" as const, amount: "20.00" },
    { kind: "reversal" as const, amount: "-20.00" },
    { kind: "withdrawal" as const, amount: "-100.00" },
  ],
};

Deno.test("checkStatement(): 50 + 120 − 20 − 100 = 50, and the lines add up kind by kind", () => {
  assert.deepEqual(checkStatement(statement), { balance: "0.00", lines: "0.00", kinds: "0.00", ok: true });
});

Deno.test("checkStatement(): a closing changed by 0.01, or a line moved between kinds, is caught", () => {
  const off = checkStatement({ ...statement, closing: "50.01" });
  assert.deepEqual(off, { balance: "-0.01", lines: "-0.01", kinds: "0.00", ok: false });
  const moved = checkStatement({
    ...statement,
    lines: [...statement.lines.slice(0, 1), { kind: "reversal", amount: "20.00" }, ...statement.lines.slice(2)],
  });
  assert.equal(moved.balance, "0.00");
  assert.equal(moved.lines, "0.00", "the sum alone still holds");
  assert.equal(moved.kinds, "40.00");
  assert.equal(moved.ok, false);
});
