import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../lib/app_env.ts";
import { requireManager } from "../lib/http.ts";
import { fail } from "../lib/errors.ts";
import { can, type Permission, staffRoleOf } from "../domain/permissions.ts";

/** Which permission each admin API route needs: one table, checked before any handler runs. */
const ROUTES: [method: string, path: RegExp, permission: Permission][] = [
  ["GET", /^audit$/, "audit.read"],
  ["POST", /^users\/\d+\/(role|staff-role)$/, "users.role"],
  ["POST", /^users\/\d+\/upline$/, "members.move"],
  ["GET", /^users\/\d+$/, "members.read"],
  ["GET", /^products\/import-template\.csv$/, "catalogue.write"],
  ["POST", /^products(\/import)?$/, "catalogue.write"],
  ["PATCH", /^products\/[^/]+$/, "catalogue.write"],
  ["DELETE", /^products\/[^/]+$/, "catalogue.write"],
  ["POST", /^products\/[^/]+\/restore$/, "catalogue.write"],
  ["GET", /^products\/[^/]+$/, "orders.read"],
  ["POST", /^coupons$/, "coupons.write"],
  ["GET", /^orders$/, "orders.read"],
  ["POST", /^orders\/[^/]+\/ship$/, "orders.ship"],
  ["POST", /^refunds\/[^/]+\/(approve|reject)$/, "refunds.decide"],
  ["GET", /^commission-plan$/, "plan.read"],
  ["PUT", /^commission-plan$/, "plan.write"],
  ["POST", /^commission-plan\/simulate$/, "plan.read"],
  ["GET", /^withdrawals$/, "withdrawals.read"],
  ["POST", /^withdrawals\/[^/]+\/(approve|reject)$/, "withdrawals.approve"],
  ["POST", /^settlements$/, "settlements.close"],
  ["GET", /^distributor-applications$/, "members.read"],
  ["POST", /^distributor-applications\/[^/]+\/(approve|reject)$/, "applications.decide"],
];

/** The permission an admin API request needs, or null when the route is not in the table. */
export function permissionFor(method: string, path: string): Permission | null {
  const rest = path.replace(/^\/api\/admin\//, "");
  return ROUTES.find(([m, p]) => m === method && p.test(rest))?.[2] ?? null;
}

/**
 * Every `/api/admin` request: a manager whose staff role holds the route's permission; a route
 * missing from the table is open to admins only (fail closed).
 */
export function adminPermissions(): MiddlewareHandler<AppEnv> {
  return async function adminPermissions(c, next) {
    const user = requireManager(c);
    const permission = permissionFor(c.req.method, c.req.path);
    const role = staffRoleOf(user);
    if (permission ? !can(role, permission) : role !== "admin") {
      throw fail.forbidden(`Your staff role (${role}) may not do this`);
    }
    await next();
  };
}
