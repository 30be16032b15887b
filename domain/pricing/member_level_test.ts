import assert from "node:assert/strict";
import { money } from "../money.ts";
import { levelForSpend } from "./member_level.ts";

const thresholds = { silver: "1000.00", gold: "5000.00", diamond: "20000.00" };

Deno.test("levelForSpend() raises the level at each threshold and never lowers it", () => {
  assert.equal(levelForSpend(money("999.99"), thresholds, "ordinary"), "ordinary");
  assert.equal(levelForSpend(money("1000.00"), thresholds, "ordinary"), "silver");
  assert.equal(levelForSpend(money("5000"), thresholds, "silver"), "gold");
  assert.equal(levelForSpend(money("25000"), thresholds, "ordinary"), "diamond");
  assert.equal(levelForSpend(money("10"), thresholds, "gold"), "gold");
});
