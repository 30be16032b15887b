import type { Ctx } from "./app_env.ts";
import { checkCsrf, readForm } from "./http.ts";
import { AppError } from "./errors.ts";

/** How a form action answers. */
export interface FormActionOptions {
  /** Does the work; a refusal is an `AppError` below 500. */
  run: (form: Record<string, string>) => Promise<unknown>;
  /** Where to go after success (303), given the form. */
  back: string | ((form: Record<string, string>) => string);
  /**
   * Renders the form's page again with the refusal's message (its first field message, else its message),
   * in the visitor's language.
   */
  page: (message: string, status: number) => Promise<Response> | Response;
  /** Which refusals re-render the page (the others propagate): by default every error below 500. */
  shows?: (err: AppError) => boolean;
}

/**
 * Runs an HTML form action: reads the form and checks its CSRF token, runs it and redirects; when it is
 * refused the form's page is rendered again, with the message and the refusal's status.
 */
export async function formAction(c: Ctx, options: FormActionOptions): Promise<Response> {
  const form = await readForm(c);
  checkCsrf(c, form);
  try {
    await options.run(form);
    return c.redirect(typeof options.back === "string" ? options.back : options.back(form), 303);
  } catch (err) {
    if (err instanceof AppError && (options.shows ? options.shows(err) : err.status < 500)) {
      return await options.page(c.get("t").msg(Object.values(err.fields ?? {})[0] ?? err.msg), err.status);
    }
    throw err;
  }
}
