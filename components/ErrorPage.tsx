import type { Translator } from "../i18n/messages.ts";

/** A friendly error page body with a way back. */
export function ErrorPage({ t, title, body, code }: { t: Translator; title: string; body: string; code: number }) {
  return (
    <section class="empty-state error-page">
      <div class="error-code" aria-hidden="true">{code}</div>
      <h1>{title}</h1>
      <p>{body}</p>
      <a class="btn btn-primary" href="/">{t("error.home")}</a>
    </section>
  );
}
