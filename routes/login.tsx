import type { z } from "zod";
import type { Handlers } from "../lib/fs_router.ts";
import { checkCsrf, readForm, safeRedirectPath } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { loginSource, signIn } from "../lib/session_cookie.ts";
import { issuesToFields } from "../lib/validate.ts";
import { authenticate, loginSchema } from "../services/accounts.ts";
import { LoginForm } from "../components/AuthForms.tsx";
import { formErrors } from "./_auth.ts";

/** `/login`: the form, and signing in (then back to `?next=`). */
export const handler: Handlers = {
  GET(c) {
    if (c.get("user")) return c.redirect("/account");
    return renderPage(c, <LoginForm c={c} values={{}} errors={{}} />, {
      title: c.get("t")("auth.login.title"),
      narrow: true,
    });
  },
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    const title = c.get("t")("auth.login.title");
    const parsed = loginSchema.safeParse(form);
    if (!parsed.success) {
      const errors = issuesToFields(parsed.error as z.ZodError);
      return renderPage(c, <LoginForm c={c} values={form} errors={errors} message={c.get("t")("auth.error")} />, {
        title,
        status: 400,
        narrow: true,
      });
    }
    try {
      const user = await authenticate(c.get("deps").db, parsed.data, loginSource(c));
      await signIn(c, user);
      return c.redirect(safeRedirectPath(c.req.query("next")), 303);
    } catch (err) {
      const { errors, message, status } = formErrors(c, err);
      return renderPage(c, <LoginForm c={c} values={form} errors={errors} message={message} />, {
        title,
        status,
        narrow: true,
      });
    }
  },
};

export default LoginForm;
