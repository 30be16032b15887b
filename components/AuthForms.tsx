import type { Ctx } from "../lib/app_env.ts";
import { safeRedirectPath } from "../lib/http.ts";
import { localizeErrors } from "../lib/render.tsx";
import type { FieldMessages } from "../lib/errors.ts";
import { Field, FormAlert, PostForm } from "./Form.tsx";

/** Field errors of a form (rendered in the visitor's language). */
export type Errors = FieldMessages;

/** The login form; `next` (from the query) is where a successful login goes. */
export function LoginForm(
  { c, values, errors: raw, message }: { c: Ctx; values: Record<string, string>; errors: Errors; message?: string },
) {
  const t = c.get("t");
  const errors = localizeErrors(c, raw);
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

/** The registration form, with the referrer's name when a referral code came with the visit. */
export function RegisterForm(
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
