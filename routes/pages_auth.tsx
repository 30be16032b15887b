import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { checkCsrf, readForm, safeRedirectPath } from "../lib/http.ts";
import { localizeErrors, renderPage } from "../lib/render.tsx";
import { translateMessage } from "../i18n/messages.ts";
import { loginSource, signIn, signOut } from "../lib/session_cookie.ts";
import { AppError } from "../lib/errors.ts";
import { issuesToFields } from "../lib/validate.ts";
import { authenticate, loginSchema, register, registerSchema } from "../services/accounts.ts";
import { Field, FormAlert, PostForm } from "../components/Form.tsx";
import { findUserByReferralCode } from "../db/users_repo.ts";

type Errors = Record<string, string>;

function LoginForm(
  { c, values, errors: raw, message }: { c: Ctx; values: Record<string, string>; errors: Errors; message?: string },
) {
  const t = c.get("t");
  const errors = localizeErrors(c, raw);
  message = message && translateMessage(c.get("locale"), message);
  const next = c.req.query("next");
  const action = next ? `/login?next=${encodeURIComponent(safeRedirectPath(next))}` : "/login";
  return (
    <section class="card form-card">
      <h1>{t("auth.login.title")}</h1>
      <FormAlert message={message} />
      <PostForm action={action} csrf={c.get("csrf")}>
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          required
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          error={errors.password}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="btn btn-primary btn-block">{t("auth.login.submit")}</button>
      </PostForm>
      <p class="muted center">
        {t("auth.login.noAccount")} <a href="/register">{t("nav.register")}</a>
      </p>
    </section>
  );
}

function RegisterForm(
  { c, values, errors: raw, message, referrer }: {
    c: Ctx;
    values: Record<string, string>;
    errors: Errors;
    message?: string;
    referrer?: string;
  },
) {
  const t = c.get("t");
  const errors = localizeErrors(c, raw);
  message = message && translateMessage(c.get("locale"), message);
  return (
    <section class="card form-card">
      <h1>{t("auth.register.title")}</h1>
      {referrer && <p class="badge badge-info">{t("auth.register.referredBy", { name: referrer })}</p>}
      <FormAlert message={message} />
      <PostForm action="/register" csrf={c.get("csrf")}>
        <Field
          label={t("auth.name")}
          name="name"
          value={values.name}
          error={errors.name}
          autocomplete="nickname"
          required
          maxLength={60}
        />
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          required
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          error={errors.password}
          hint={t("auth.passwordHint")}
          autocomplete="new-password"
          required
          minLength={8}
        />
        <Field
          label={t("auth.referralCode")}
          name="referralCode"
          value={values.referralCode}
          error={errors.referralCode}
        />
        <button type="submit" class="btn btn-primary btn-block">{t("auth.register.submit")}</button>
      </PostForm>
      <p class="muted center">
        {t("auth.register.hasAccount")} <a href="/login">{t("nav.login")}</a>
      </p>
    </section>
  );
}

/** Splits a thrown error into field errors and a banner message for re-rendering a form. */
function formErrors(c: Ctx, err: unknown): { errors: Errors; message: string; status: number } {
  if (err instanceof AppError) {
    return {
      errors: err.fields ?? {},
      message: err.fields ? c.get("t")("auth.error") : err.message,
      status: err.status,
    };
  }
  throw err;
}

async function referrerName(c: Ctx, code: string | undefined): Promise<string | undefined> {
  if (!code) return undefined;
  return (await findUserByReferralCode(c.get("deps").db, code))?.name;
}

/** Login, registration and logout as HTML forms. */
export const pagesAuth = new Hono<AppEnv>()
  .get("/login", (c) => {
    if (c.get("user")) return c.redirect("/account");
    return renderPage(c, <LoginForm c={c} values={{}} errors={{}} />, {
      title: c.get("t")("auth.login.title"),
      narrow: true,
    });
  })
  .post("/login", async (c) => {
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
  })
  .get("/register", async (c) => {
    const code = c.req.query("ref") ?? getCookie(c, "ref");
    const referrer = await referrerName(c, code);
    const values = { referralCode: referrer ? code!.toUpperCase() : "" };
    return renderPage(c, <RegisterForm c={c} values={values} errors={{}} referrer={referrer} />, {
      title: c.get("t")("auth.register.title"),
      narrow: true,
    });
  })
  .post("/register", async (c) => {
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
  })
  .post("/logout", async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    await signOut(c);
    return c.redirect("/", 303);
  });
