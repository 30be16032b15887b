import type { Ctx } from "./app_env.ts";
import { fail } from "./errors.ts";

/** The Idempotency-Key header, required on retryable writes. */
export function idempotencyKey(c: Ctx): string {
  const key = c.req.header("idempotency-key")?.trim();
  if (!key) throw fail.invalid("The Idempotency-Key header is required", { "Idempotency-Key": "Required header" });
  if (key.length > 100) {
    throw fail.invalid("Idempotency-Key is too long", { "Idempotency-Key": "At most 100 characters" });
  }
  return key;
}
