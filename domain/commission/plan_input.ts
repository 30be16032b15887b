import * as z from "zod/mini";
import { RANKS } from "./ranks.ts";
import { textProblem } from "../text.ts";

const rate = z.string().check(
  z.regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'a rate is a decimal string between 0 and 1, like "0.10"'),
);
const moneyString = z.string().check(z.regex(/^\d{1,12}(\.\d{1,2})?$/, "must be a decimal string"));
const tiersSchema = z.array(z.object({ rate })).check(z.maxLength(10));
const id = z.string().check(z.regex(/^\d{1,18}$/));

/**
 * The fields of a commission plan draft and their rules: the contract's fields, plus the optional
 * rest. Pure data validation, written with `zod/mini` so that the plan editor island checks the
 * draft with exactly these rules without a large bundle; the API wraps the same fields in a full
 * zod object (`planInputSchema` in services/distribution.ts).
 */
export const planInputFields = {
  tiers: tiersSchema.check(z.minLength(1, "At least one tier")),
  base: z.enum(["paid_amount", "gross_profit"]),
  eligibility: z.enum(["everyone", "application", "spend_threshold"]),
  selfPurchase: z.boolean(),
  holdDays: z.int().check(z.gte(0), z.lte(90)),
  spendThreshold: z.optional(moneyString),
  capRate: z.optional(rate),
  categoryOverrides: z.optional(z.array(z.object({ categoryId: id, tiers: tiersSchema })).check(z.maxLength(200))),
  productOverrides: z.optional(z.array(z.object({ productId: id, tiers: tiersSchema })).check(z.maxLength(1000))),
  rankRates: z.optional(z.partialRecord(z.enum(RANKS), tiersSchema)),
  volumeBonus: z.optional(z.nullable(z.object({ threshold: moneyString, extraRate: rate }))),
  campaigns: z.optional(
    z.array(z.object({
      name: z.string().check(
        z.minLength(1),
        z.maxLength(60),
        z.refine((v) => textProblem(v) === null, "must not contain control characters"),
      ),
      startsAt: z.iso.datetime({ offset: true }),
      endsAt: z.iso.datetime({ offset: true }),
      multiplier: z.string().check(z.regex(/^\d{1,2}(\.\d{1,4})?$/, 'a multiplier like "1.5"')),
    })).check(z.maxLength(20)),
  ),
  signUpFee: z.optional(moneyString),
  headcountBonus: z.optional(moneyString),
  minWithdrawal: z.optional(moneyString),
  withdrawalFee: z.optional(moneyString),
  settlementPeriod: z.optional(z.enum(["weekly", "semi_monthly", "monthly"])),
  rankRules: z.optional(z.object({
    promotions: z.array(z.object({
      rank: z.enum(["silver", "gold"]),
      personalSales: moneyString,
      teamSales: moneyString,
      activeDirectCustomers: z.int().check(z.gte(0), z.lte(100_000)),
    })).check(z.maxLength(5)),
    demoteAfterInactiveDays: z.int().check(z.gte(7), z.lte(3650)),
  })),
};

/** A plan draft: the fields above as one object (what the editor validates as the manager types). */
export const planDraftSchema = z.object(planInputFields);

/** A plan draft as the API takes it. */
export type PlanInput = z.infer<typeof planDraftSchema>;

/** The body of publishing: a draft plus, optionally, the version the editor started from. */
export type PlanPublishInput = PlanInput & { baseVersion?: number };
