import { managerOnly } from "../../../lib/http.ts";

/**
 * The management API is for managers (401/403 otherwise), also for a URL no route answers; each route
 * then names its permission with `requirePermission(...)`.
 */
export const middleware = managerOnly();
