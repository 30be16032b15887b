import { Hono } from "hono";
import { appConfig } from "../fresh.config.ts";
import { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { clientIp, managerOnly, readJson, readQuery, requireManager, requireUser } from "../lib/http.ts";
import { parseInput } from "../lib/validate.ts";
import { AppError, fail } from "../lib/errors.ts";
import { loginSchema, reauthenticate, recentlyAuthenticated } from "../services/accounts.ts";
import { currentPlan, ensurePlan, planPublishSchema, publishPlan } from "../services/distribution.ts";
import {
  approveWithdrawal,
  commissionQuerySchema,
  commissionsOf,
  rejectWithdrawal,
  requestWithdrawal,
  teamQuerySchema,
  type WithdrawalRow,
  withdrawalSchema,
  withdrawalView,
} from "../services/earnings.ts";
import {
  closePeriod,
  closePeriodSchema,
  statementCsv,
  statementFor,
  statementsOf,
  statementView,
} from "../services/settlement.ts";
import { statementPdf } from "../services/statement_pdf.ts";
import { checkCompliance } from "../domain/commission/plan.ts";
import { simulateDraft, simulationSchema } from "../services/simulator.ts";
import { markAllRead, notificationsOf } from "../services/notifications.ts";
import { teamForApi } from "../services/team.ts";
import { profileSchema, updateProfile } from "../services/members_admin.ts";
import { applicationSchema, applyAsDistributor, decideApplication, moveMember } from "../services/programme.ts";
import { idempotencyKey } from "./api_orders.ts";
import { listApplications } from "../services/distributors_admin.ts";
import { text } from "../lib/text.ts";

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
    return c.json(await teamForApi(c.get("deps").db, String(requireUser(c).id), q));
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
  .get("/me/withdrawals", async (c) => {
    const rows = await c.get("deps").db.query<WithdrawalRow>(
      "SELECT * FROM withdrawals WHERE user_id = $1 ORDER BY id DESC LIMIT 100",
      [requireUser(c).id],
    );
    return c.json({ items: rows.map(withdrawalView), total: rows.length });
  })
  .get("/me/statements", async (c) => {
    const rows = await statementsOf(c.get("deps").db, String(requireUser(c).id));
    return c.json({ items: rows.map(statementView), total: rows.length });
  })
  .get("/me/statements/:file", async (c) => {
    const [id, ext] = c.req.param("file").split(".");
    const statement = await statementFor(c.get("deps").db, id, requireUser(c));
    if (ext === "csv") {
      return c.body(statementCsv(statement), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="statement-${statement.id}.csv"`,
      });
    }
    if (ext === "pdf") {
      const [owner] = await c.get("deps").db.query<{ name: string }>("SELECT name FROM users WHERE id = $1", [
        statement.user_id,
      ]);
      const pdf = await statementPdf(statement, owner?.name ?? "");
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="statement-${statement.id}.pdf"`,
      });
    }
    if (ext !== undefined) throw fail.notFound("Format");
    return c.json({ statement: statementView(statement) });
  })
  .get(
    "/me/notifications",
    async (c) => c.json(await notificationsOf(c.get("deps").db, String(requireUser(c).id), c.get("locale"))),
  )
  .post("/me/notifications/read", async (c) => {
    const { id } = await readJson(c, z.object({ id: z.string().regex(/^\d{1,18}$/).optional() }));
    await markAllRead(c.get("deps").db, String(requireUser(c).id), id);
    return c.body(null, 204);
  })
  .patch("/me/profile", async (c) => {
    const input = await readJson(c, profileSchema);
    const { db, box } = c.get("deps");
    await updateProfile(db, box, requireUser(c), input);
    return c.body(null, 204);
  })
  .post("/me/distributor-application", async (c) => {
    const input = await readJson(c, applicationSchema);
    return c.json({ application: await applyAsDistributor(c.get("deps").db, requireUser(c), input) }, 201);
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
    return c.json({ plan, checks: checkCompliance(plan, appConfig.shop) });
  })
  .put("/commission-plan", async (c) => {
    const input = await readJson(c, planPublishSchema);
    const plan = await publishPlan(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ plan, checks: checkCompliance(plan, appConfig.shop) });
  })
  .post("/commission-plan/simulate", async (c) => {
    const input = await readJson(c, simulationSchema);
    return c.json({ simulation: await simulateDraft(c.get("deps").db, input) });
  })
  .get("/distributor-applications", async (c) => {
    const rows = await listApplications(c.get("deps").db, requireManager(c));
    return c.json({ items: rows, total: rows.length });
  })
  .post("/distributor-applications/:id/:decision{approve|reject}", async (c) => {
    const { id } = parseInput(idParam, { id: c.req.param("id") });
    const { reason } = await readJson(c, z.object({ reason: text({ multiline: true }).trim().max(500).default("") }));
    const approve = c.req.param("decision") === "approve";
    if (!approve && !reason) throw fail.invalid("Give a reason", { reason: "Required when rejecting" });
    return c.json({
      application: await decideApplication(c.get("deps").db, requireManager(c), id, approve, reason, clientIp(c)),
    });
  })
  .post("/users/:id/upline", async (c) => {
    const { id } = parseInput(idParam, { id: c.req.param("id") });
    const { uplineId } = await readJson(
      c,
      z.object({ uplineId: z.string().regex(/^\d{1,18}$/, "must be a member id") }),
    );
    return c.json({ move: await moveMember(c.get("deps").db, requireManager(c), id, uplineId, clientIp(c)) });
  })
  .post("/settlements", async (c) => {
    const input = await readJson(c, closePeriodSchema);
    const period = await closePeriod(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ period }, 201);
  })
  .get("/withdrawals", async (c) => {
    const q = readQuery(c, z.object({ status: z.enum(["requested", "paid", "rejected"]).optional() }));
    const rows = await c.get("deps").db.query<WithdrawalRow & { name: string }>(
      `SELECT w.*, u.name FROM withdrawals w JOIN users u ON u.id = w.user_id
        WHERE ($1::text IS NULL OR w.status = $1) ORDER BY w.id DESC LIMIT 100`,
      [q.status ?? null],
    );
    return c.json({
      items: rows.map((w) => ({ ...withdrawalView(w), userId: String(w.user_id), name: w.name })),
      total: rows.length,
    });
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
    const { reason } = await readJson(
      c,
      z.object({ reason: text({ multiline: true }).trim().min(1, "Give a reason").max(500) }),
    );
    const w = await rejectWithdrawal(c.get("deps").db, requireManager(c), id, reason, clientIp(c));
    return c.json({ withdrawal: withdrawalView(w) });
  });
