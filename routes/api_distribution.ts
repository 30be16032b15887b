import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { clientIp, managerOnly, readJson, readQuery, requireManager, requireUser } from "../lib/http.ts";
import { parseInput } from "../lib/validate.ts";
import { AppError } from "../lib/errors.ts";
import { loginSchema, reauthenticate, recentlyAuthenticated } from "../services/accounts.ts";
import { currentPlan, ensurePlan, planInputSchema, publishPlan } from "../services/distribution.ts";
import {
  approveWithdrawal,
  commissionQuerySchema,
  commissionsOf,
  rejectWithdrawal,
  requestWithdrawal,
  teamOf,
  teamQuerySchema,
  withdrawalSchema,
  withdrawalView,
} from "../services/earnings.ts";
import { checkCompliance } from "../domain/commission/plan.ts";
import { idempotencyKey } from "./api_orders.ts";

const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, "must be a numeric id") });
const passwordSchema = z.object({ password: loginSchema.shape.password });
const approveSchema = z.object({ password: z.string().max(200).optional() });

/** Sensitive manager actions need a password entered in the last minutes (or given with the request). */
async function requireRecentAuth(c: Ctx, password: string | undefined) {
  const { db } = c.get("deps");
  if (password) await reauthenticate(db, c.get("sessionToken"), requireManager(c), password, clientIp(c));
  else if (!(await recentlyAuthenticated(db, c.get("sessionToken")))) {
    throw new AppError("unauthenticated", "Please re-enter your password to approve payouts", { password: "Required" });
  }
}

/** A member's team, commissions and withdrawals. */
export const apiMe = new Hono<AppEnv>()
  .get("/me/team", async (c) => {
    const q = readQuery(c, teamQuerySchema);
    return c.json(await teamOf(c.get("deps").db, String(requireUser(c).id), q));
  })
  .get("/me/commissions", async (c) => {
    const q = readQuery(c, commissionQuerySchema);
    return c.json(await commissionsOf(c.get("deps").db, String(requireUser(c).id), q));
  })
  .post("/me/withdrawals", async (c) => {
    const user = requireUser(c);
    const key = idempotencyKey(c);
    const { amount } = await readJson(c, withdrawalSchema);
    const w = await requestWithdrawal(c.get("deps").db, user, amount, key);
    return c.json({ withdrawal: withdrawalView(w) }, 201);
  })
  .post("/auth/reauth", async (c) => {
    const user = requireUser(c);
    const { password } = await readJson(c, passwordSchema);
    await reauthenticate(c.get("deps").db, c.get("sessionToken"), user, password, clientIp(c));
    return c.body(null, 204);
  });

/** The commission plan and payouts, for managers. */
export const apiAdminDistribution = new Hono<AppEnv>()
  .use(managerOnly())
  .get("/commission-plan", async (c) => {
    const db = c.get("deps").db;
    await ensurePlan(db);
    const plan = await currentPlan(db);
    return c.json({ plan, checks: checkCompliance(plan) });
  })
  .put("/commission-plan", async (c) => {
    const input = await readJson(c, planInputSchema);
    const plan = await publishPlan(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ plan, checks: checkCompliance(plan) });
  })
  .post("/withdrawals/:id/approve", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { password } = await readJson(c, approveSchema);
    await requireRecentAuth(c, password);
    const w = await approveWithdrawal(c.get("deps").db, requireManager(c), id, clientIp(c));
    return c.json({ withdrawal: withdrawalView(w) });
  })
  .post("/withdrawals/:id/reject", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { reason } = await readJson(c, z.object({ reason: z.string().trim().min(1, "Give a reason").max(500) }));
    const w = await rejectWithdrawal(c.get("deps").db, requireManager(c), id, reason, clientIp(c));
    return c.json({ withdrawal: withdrawalView(w) });
  });
