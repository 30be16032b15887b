import type { Ctx } from "./app_env.ts";
import { fail } from "./errors.ts";
import { msg } from "../i18n/messages.ts";

/** The Idempotency-Key header, required on retryable writes. */
export function idempotencyKey(c: Ctx): string {
  const key = c.req.header("idempotency-key")?.trim();
  if (!key) throw fail.invalid("err.idempotencyRequired", {}, { "Idempotency-Key": msg("validation.requiredHeader") });
  if (key.length > 100) {
    throw fail.invalid("err.idempotencyTooLong", {}, { "Idempotency-Key": msg("validation.max100") });
  }
  return key;
}
