import type { Ctx } from "../../lib/app_env.ts";
import { formAction } from "../../lib/form_action.ts";

/** A console page a form may return to: a path under `/admin/` with an id and a plain query string at most. */
const CONSOLE_BACK = /^\/admin\/[a-z][a-z-]*(?:\/\d{1,18})?(?:\?[A-Za-z0-9%=&._+-]*)?$/;

/**
 * A console form action: redirects to the console page the form came from (its `back` field) or to `back`, or renders `page`
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
    // A form returns to the page it came from (an order's page, a list with its filters, sort and page);
    // only plain paths inside the console are followed.
    back: (form) => CONSOLE_BACK.test(form.back ?? "") ? form.back : back,
    page: (message, status) => page(c, message, status),
  });
}
