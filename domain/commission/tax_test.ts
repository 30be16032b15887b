import assert from "node:assert/strict";
import { money } from "../money.ts";
import { quoteWithdrawal, taxOn } from "./tax.ts";

Deno.test("taxOn() follows the labour-remuneration schedule at each bracket", () => {
  assert.equal(taxOn(money("800")).toFixed(2), "0.00");
  assert.equal(taxOn(money("1000")).toFixed(2), "40.00"); // (1000-800)*20%
  assert.equal(taxOn(money("4000")).toFixed(2), "640.00"); // 3200*20%
  assert.equal(taxOn(money("10000")).toFixed(2), "1600.00"); // 8000*20%
  assert.equal(taxOn(money("30000")).toFixed(2), "5200.00"); // 24000*30%-2000
  assert.equal(taxOn(money("100000")).toFixed(2), "25000.00"); // 80000*40%-7000
});

Deno.test("quoteWithdrawal() withholds on the period's cumulative income, less what was already withheld", () => {
  const first = quoteWithdrawal(money("1000.00"), money("1.00"), money(0), money(0));
  assert.deepEqual([first.fee, first.tax, first.net].map((b) => b.toFixed(2)), ["1.00", "40.00", "959.00"]);
  const second = quoteWithdrawal(money("1000.00"), money("1.00"), money("1000.00"), first.tax);
  assert.equal(second.tax.toFixed(2), "200.00"); // tax on 2000 = 240, less 40
  assert.equal(quoteWithdrawal(money("500.00"), money("1.00"), money(0), money(0)).tax.toFixed(2), "0.00");
});
