import type { Translator } from "../i18n/messages.ts";
import { PostForm } from "./Form.tsx";

/**
 * A staff decision on a request (a refund, an application): approve, optionally with a note,
 * or reject with a reason. `base` is the request's path; the forms post to `${base}/approve` and
 * `${base}/reject`; `back` brings the manager back to the page they decided on, `query` (a query string)
 * tells the action which page shows a refusal; `subject` names the request in the buttons' accessible names.
 */
export function DecisionForms(
  { base, csrf, t, back, note, query, subject }: {
    base: string;
    csrf: string;
    t: Translator;
    back?: string;
    note?: boolean;
    query?: string;
    subject?: string;
  },
) {
  const backField = back && <input type="hidden" name="back" value={back} />;
  const action = (verb: string) => `${base}/${verb}${query ? `?${query}` : ""}`;
  const named = (label: string) => subject ? { "aria-label": `${label} ${subject}` } : {};
  return (
    <span class="actions">
      <PostForm action={action("approve")} csrf={csrf} class="inline-form">
        {backField}
        {note && <input name="note" aria-label={t("ops.note")} placeholder={t("ops.note")} maxLength={500} />}
        <button class="btn btn-primary btn-sm" type="submit" {...named(t("ops.approve"))}>{t("ops.approve")}</button>
      </PostForm>
      <PostForm action={action("reject")} csrf={csrf} class="inline-form">
        {backField}
        <input name="reason" aria-label={t("ops.reason")} placeholder={t("ops.reason")} required maxLength={200} />
        <button class="btn btn-ghost btn-sm" type="submit" {...named(t("ops.reject"))}>{t("ops.reject")}</button>
      </PostForm>
    </span>
  );
}
