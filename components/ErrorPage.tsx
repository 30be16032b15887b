import type { Translator } from "../i18n/messages.ts";

/**
 * A friendly error page body with a way back; `retry` is the same page without its query string, offered when
 * the query was refused (a hand-edited list link).
 */
export function ErrorPage(
  { t, title, body, code, retry }: { t: Translator; title: string; body: string; code: number; retry?: string },
) {
  return (
    <section class="empty-state error-page">
      <div class="error-code" aria-hidden="true">{code}</div>
      <h1>{title}</h1>
      <p>{body}</p>
      {retry && <a class="btn btn-primary" href={retry}>{t("list.openWithout")}</a>}
      <a class={retry ? "btn btn-ghost" : "btn btn-primary"} href="/">{t("error.home")}</a>
    </section>
  );
}
