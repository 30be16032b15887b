/**
 * Route guards: middleware factories (options in, a named middleware out) that route files attach per
 * method (`GET: [requirePermission("orders.read"), handler]`) or per folder in `_middleware.ts`.
 * Pages and the API share them: a page sends a visitor who is not signed in to the login page, the API
 * answers 401; a member who may not pass gets 403 (a page for browsers, the JSON error for the API).
 */
import type { Ctx } from "./app_env.ts";
import { chainOf, findRoute, type Method, type RouteHandler, type RouteTree } from "./fs_router.ts";
import { requireManager } from "./http.ts";
import { fail } from "./errors.ts";
import { labelFor, msg } from "../i18n/messages.ts";
import { can, type Permission, staffRoleOf } from "../domain/permissions.ts";

/** A guard that lets a request through only with a permission of the staff table; it names the permission. */
export interface PermissionGuard extends RouteHandler {
  readonly permission: Permission;
}

function isApi(c: Ctx): boolean {
  return c.req.path.startsWith("/api/");
}

/**
 * Staff only, with `permission` from the one table in `domain/permissions.ts`: a page redirects a visitor
 * to the login page (and back); the API answers 401. A member who is not staff, or whose staff role lacks
 * the permission, gets 403.
 */
export function requirePermission(permission: Permission): PermissionGuard {
  const guard = async function requirePermission(c: Ctx, next: () => Promise<void>) {
    if (!c.get("user") && !isApi(c)) {
      // Back to the same page, its query string (a list's filters, sort and page) included.
      const query = new URL(c.req.url).search;
      const back = encodeURIComponent(`${c.req.path}${query}`).replaceAll("%2F", "/");
      return c.redirect(`/login?next=${back}`);
    }
    const role = staffRoleOf(requireManager(c));
    if (!can(role, permission)) {
      throw fail.forbidden(msg(isApi(c) ? "err.staffRole" : "err.staffRolePage", { role: labelFor("staff", role) }));
    }
    await next();
  };
  return Object.assign(guard, { permission });
}

/** The permission a handler checks, when it is a `requirePermission` guard. */
export function permissionOf(handler: unknown): Permission | undefined {
  return typeof handler === "function" ? (handler as Partial<PermissionGuard>).permission : undefined;
}

/** Signed-in members only: a page redirects a visitor to the login page (and back), the API answers 401. */
export function requireMember(): RouteHandler {
  return async function requireMember(c: Ctx, next: () => Promise<void>) {
    if (!c.get("user")) {
      if (isApi(c)) throw fail.unauthenticated();
      return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`);
    }
    await next();
  };
}

/**
 * The permission a request needs according to the guards of the route that answers it (folder middleware
 * and the method's own), or null when the route has no permission guard.
 */
export function permissionFor(tree: RouteTree, method: string, path: string): Permission | null {
  const route = findRoute(tree, method, path);
  if (!route) return null;
  return chainOf(tree, route, method as Method).map(permissionOf).find((p) => p !== undefined) ?? null;
}
