import { z } from "zod";
import type { Ctx } from "../../lib/app_env.ts";
import { readQuery } from "../../lib/http.ts";
import { RANKS } from "../../domain/commission/plan.ts";
import { text } from "../../lib/text.ts";

const analyticsFilterSchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
  city: text().trim().max(60).optional(),
  rank: z.enum(RANKS).or(z.literal("")).optional(),
});

/** The analytics filters of the query string, as the snapshot takes them. */
export function analyticsFilter(c: Ctx) {
  const f = readQuery(c, analyticsFilterSchema);
  return { f, filter: { days: f.days, city: f.city || undefined, rank: f.rank || undefined } };
}
