import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../lib/app_env.ts";
import { clientIp, managerOnly, readJson, readQuery, requireManager } from "../lib/http.ts";
import { changeRole, roleSchema } from "../services/accounts.ts";
import { listAudit } from "../db/audit_repo.ts";
import { memberProfile, setStaffRole, staffRoleSchema } from "../services/members_admin.ts";
import { parseInput } from "../lib/validate.ts";
import { appConfig } from "../fresh.config.ts";
import { text } from "../lib/text.ts";

const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, "must be a numeric id") });
const auditQuery = z.object({
  actor: z.string().regex(/^\d{1,18}$/, "must be a member id").optional(),
  action: text().max(60).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize).default(50),
});

/** Management API: every route requires the manager role. */
export const apiAdmin = new Hono<AppEnv>()
  .use(managerOnly())
  .post("/users/:id/role", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { role } = await readJson(c, roleSchema);
    const user = await changeRole(
      c.get("deps").db,
      requireManager(c),
      id,
      role,
      clientIp(c),
      c.get("deps").sessionSockets,
    );
    return c.json({ user });
  })
  .post("/users/:id/staff-role", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { staffRole } = await readJson(c, staffRoleSchema);
    return c.json({ user: await setStaffRole(c.get("deps").db, requireManager(c), id, staffRole, clientIp(c)) });
  })
  .get("/users/:id", async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { db, box } = c.get("deps");
    return c.json(await memberProfile(db, box, requireManager(c), id, clientIp(c)));
  })
  .get("/audit", async (c) => {
    const q = readQuery(c, auditQuery);
    const result = await listAudit(c.get("deps").db, {
      actor: q.actor,
      action: q.action,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return c.json(result);
  });
