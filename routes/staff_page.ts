import type { Ctx } from "../lib/app_env.ts";
import { requireManager } from "../lib/http.ts";
import { fail } from "../lib/errors.ts";
import { can, type Permission, staffRoleOf } from "../domain/permissions.ts";

/**
 * The signed-in staff member for a console page that needs `permission`: a redirect to the login
 * page when nobody is signed in, 403 for members who are not staff or whose role lacks it.
 */
export function staffPage(c: Ctx, permission: Permission) {
  if (!c.get("user")) {
    const next = encodeURIComponent(c.req.path).replaceAll("%2F", "/");
    return { redirect: c.redirect(`/login?next=${next}`) } as const;
  }
  const user = requireManager(c);
  if (!can(staffRoleOf(user), permission)) {
    throw fail.forbidden(`Your staff role (${staffRoleOf(user)}) may not open this page`);
  }
  return { user } as const;
}
