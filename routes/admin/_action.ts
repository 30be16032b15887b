import type { Ctx } from "../../lib/app_env.ts";
import { formAction } from "../../lib/form_action.ts";

/**
 * A console form action: redirects to `back` (or to the order page the form came from), or renders `page`
 * again with the refusal.
 */
export function staffAction(
  c: Ctx,
  page: (c: Ctx, message?: string, status?: number) => Promise<Response>,
  back: string,
  run: (form: Record<string, string>) => Promise<unknown>,
): Promise<Response> {
  return formAction(c, {
    run,
    // A form on an order's own page returns there; only paths inside the console are followed.
    back: (form) => /^\/admin\/orders\/\d+$/.test(form.back ?? "") ? form.back : back,
    page: (message, status) => page(c, message, status),
  });
}
