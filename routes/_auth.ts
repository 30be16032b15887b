import type { Ctx } from "../lib/app_env.ts";
import { AppError } from "../lib/errors.ts";
import type { Errors } from "../components/AuthForms.tsx";
import { memberByReferralCode } from "../services/members.ts";

/** Splits a thrown error into field errors and a banner message for re-rendering a form. */
export function formErrors(c: Ctx, err: unknown): { errors: Errors; message: string; status: number } {
  if (err instanceof AppError) {
    return {
      errors: err.fields ?? {},
      message: err.fields ? c.get("t")("auth.error") : c.get("t").msg(err.msg),
      status: err.status,
    };
  }
  throw err;
}

/** The name of a referral code's owner, shown on the registration form. */
export async function referrerName(c: Ctx, code: string | undefined): Promise<string | undefined> {
  if (!code) return undefined;
  return (await memberByReferralCode(c.get("deps").db, code))?.name;
}
