import assert from "node:assert/strict";
import { isEligible } from "./eligibility.ts";

const shopper = (spent: string) => ({ role: "shopper", total_spent: spent });
const distributor = { role: "distributor", total_spent: "0.00" };

Deno.test("isEligible(): everyone earns under 'everyone'; only distributors under 'application'", () => {
  const everyone = { eligibility: "everyone" as const, spendThreshold: "0.00" };
  assert.equal(isEligible(everyone, shopper("0.00")), true);
  assert.equal(isEligible(everyone, distributor), true);
  const application = { eligibility: "application" as const, spendThreshold: "500.00" };
  assert.equal(
    isEligible(application, shopper("9999.00")),
    false,
    "spending does not count without the threshold rule",
  );
  assert.equal(isEligible(application, distributor), true);
});

Deno.test("isEligible(): under 'spend_threshold' a shopper earns from exactly the threshold on", () => {
  const plan = { eligibility: "spend_threshold" as const, spendThreshold: "500.00" };
  assert.equal(isEligible(plan, shopper("499.99")), false);
  assert.equal(isEligible(plan, shopper("500.00")), true);
  assert.equal(isEligible(plan, shopper("500.01")), true);
  assert.equal(isEligible(plan, distributor), true, "a distributor earns below the threshold");
});

Deno.test("isEligible(): an erased member never earns, whatever the rule", () => {
  for (const eligibility of ["everyone", "application", "spend_threshold"] as const) {
    const plan = { eligibility, spendThreshold: "0.00" };
    assert.equal(isEligible(plan, { ...distributor, erased: true }), false, eligibility);
    assert.equal(isEligible(plan, { ...shopper("9999.00"), erased: true }), false, eligibility);
  }
});
