import type { Ctx } from "../../lib/app_env.ts";
import type { Handlers } from "../../lib/fs_router.ts";
import type { Translator } from "../../i18n/messages.ts";
import { requireMember } from "../../lib/guards.ts";
import { checkCsrf, readForm } from "../../lib/http.ts";
import { localizeErrors, renderPage } from "../../lib/render.tsx";
import { AppError, type FieldMessages } from "../../lib/errors.ts";
import { issuesToFields } from "../../lib/validate.ts";
import { applicationSchema, applyAsDistributor, latestApplication } from "../../services/programme.ts";
import { Field, FormAlert, PostForm } from "../../components/Form.tsx";
import { Icon } from "../../components/Icon.tsx";

type Application = Awaited<ReturnType<typeof latestApplication>>;

async function applyPage(c: Ctx, form: Record<string, string> = {}, errors: FieldMessages = {}, status = 200) {
  const t = c.get("t");
  const user = c.get("user")!;
  const application = await latestApplication(c.get("deps").db, String(user.id));
  const props = {
    t,
    csrf: c.get("csrf"),
    role: user.role,
    application,
    form,
    errors: localizeErrors(c, errors),
  };
  return renderPage(c, <ApplyPage {...props} />, { title: t("hub.apply"), status });
}

/** `/account/apply`: the distributor application (分销员申请) and where it stands; distributors go to 分销中心. */
export const handler: Handlers = {
  GET: [requireMember(), (c) => c.get("user")!.role === "distributor" ? c.redirect("/distributor") : applyPage(c)],
  POST: [requireMember(), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const parsed = applicationSchema.safeParse({
      contact: form.contact ?? "",
      channels: form.channels ?? "",
      experience: form.experience ?? "",
    });
    if (!parsed.success) return await applyPage(c, form, issuesToFields(parsed.error), 400);
    try {
      await applyAsDistributor(c.get("deps").db, c.get("user")!, parsed.data);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return await applyPage(c, form, { form: err.msg }, 409);
      throw err;
    }
    return c.redirect("/account/apply", 303);
  }],
};

/** The application form, or the pending application's state (a rejected one may apply again). */
export default function ApplyPage(
  { t, csrf, role, application, form, errors }: {
    t: Translator;
    csrf: string;
    role: string;
    application: Application;
    form: Record<string, string>;
    errors: Record<string, string>;
  },
) {
  const pending = application?.status === "pending";
  return (
    <section class="stack order-column apply-page">
      <a class="back-link" href="/account">
        <Icon name="chevronLeft" size={16} />
        {t("hub.back")}
      </a>
      <h1>{t("hub.apply")}</h1>
      <div class="card apply-intro">
        <Icon name="network" size={28} />
        <p>{t("apply.intro")}</p>
      </div>
      {application && (
        <p class={`alert ${application.status === "rejected" ? "alert-error" : "alert-ok"}`} data-testid="apply-status">
          {t(`apply.status.${application.status}`)}
          {application.status === "rejected" && application.reason ? ` — ${application.reason}` : ""}
        </p>
      )}
      <FormAlert message={errors.form ?? (Object.keys(errors).length ? t("auth.error") : undefined)} />
      {!pending && role === "shopper" && (
        <PostForm action="/account/apply" csrf={csrf} class="form card">
          <Field label={t("apply.contact")} name="contact" value={form.contact} error={errors.contact} required />
          <div class={errors.channels ? "field has-error" : "field"}>
            <label for="f-channels">{t("apply.channels")}</label>
            <textarea id="f-channels" name="channels" maxLength={500} required>{form.channels ?? ""}</textarea>
            {errors.channels && <p class="field-error">{errors.channels}</p>}
          </div>
          <div class="field">
            <label for="f-experience">{t("apply.experience")}</label>
            <textarea id="f-experience" name="experience" maxLength={1000}>{form.experience ?? ""}</textarea>
          </div>
          <button class="btn btn-primary btn-block" type="submit">{t("apply.submit")}</button>
        </PostForm>
      )}
    </section>
  );
}
