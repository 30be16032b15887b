import { getCookie } from "hono/cookie";
import type { z } from "zod";
import type { Handlers } from "../lib/fs_router.ts";
import { checkCsrf, readForm } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { signIn } from "../lib/session_cookie.ts";
import { issuesToFields } from "../lib/validate.ts";
import { register, registerSchema } from "../services/accounts.ts";
import { type Errors, RegisterForm } from "../components/AuthForms.tsx";
import { formErrors, referrerName } from "./_auth.ts";

/** `/register`: the form (with the referrer of `?ref=` or the remembered link), and registering. */
export const handler: Handlers = {
  async GET(c) {
    const code = c.req.query("ref") ?? getCookie(c, "ref");
    const referrer = await referrerName(c, code);
    const values = { referralCode: referrer ? code!.toUpperCase() : "" };
    return renderPage(c, <RegisterForm c={c} values={values} errors={{}} referrer={referrer} />, {
      title: c.get("t")("auth.register.title"),
      narrow: true,
    });
  },
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    const title = c.get("t")("auth.register.title");
    const parsed = registerSchema.safeParse(form);
    const referrer = await referrerName(c, form.referralCode);
    const render = (errors: Errors, message: string, status: number) =>
      renderPage(c, <RegisterForm c={c} values={form} errors={errors} message={message} referrer={referrer} />, {
        title,
        status,
        narrow: true,
      });
    if (!parsed.success) return render(issuesToFields(parsed.error as z.ZodError), c.get("t")("auth.error"), 400);
    try {
      const user = await register(c.get("deps").db, parsed.data);
      await signIn(c, user);
      return c.redirect("/", 303);
    } catch (err) {
      const { errors, message, status } = formErrors(c, err);
      return render(errors, message, status);
    }
  },
};

export default RegisterForm;
