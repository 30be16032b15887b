import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app_env.ts";
import { fail } from "./errors.ts";

/** The paths that exist only while the sandbox payment provider is on (`PAYMENT_SANDBOX`). */
const SANDBOX_PATH = /^\/(sandbox(\/|$)|api\/payments\/webhook\/sandbox\/?$)/;

/**
 * Middleware: with the sandbox payment provider off, its checkout pages and its webhook do not exist
 * (404), so nobody can mark an order paid without a real payment.
 */
export function sandboxGate(enabled: boolean): MiddlewareHandler<AppEnv> {
  return async function sandboxGate(c, next) {
    if (!enabled && SANDBOX_PATH.test(c.req.path)) throw fail.notFound("page");
    await next();
  };
}
