import type { Translator } from "../i18n/messages.ts";
import { PostForm } from "./Form.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** One bad cell of an import, its reason in the manager's language. */
export interface ImportProblem {
  line: number;
  column: string;
  reason: string;
}

/** The most problems the page lists; a pathological file says how many more there are. */
export const IMPORT_PROBLEMS_SHOWN = 200;

/** What a product import upload came to, as the catalogue page shows it. */
export type ImportOutcome =
  /** Refused: the first problems (reasons already in the manager's language), and the totals. */
  | { kind: "refused"; problems: ImportProblem[]; totalProblems: number; badRows: number }
  /** A clean dry run, kept server-side under `token` for a one-click import. */
  | { kind: "checked"; rows: number; token: string; minutes: number };

/** An import's outcome: every bad row's line, column and reason as a table, or the button importing the checked file. */
export function ImportReport({ outcome, csrf, t }: { outcome: ImportOutcome; csrf: string; t: Translator }) {
  if (outcome.kind === "checked") {
    return (
      <div class="alert" role="status" data-testid="import-checked">
        <p>{t("cat.checked", { n: outcome.rows })}</p>
        <PostForm action="/admin/products/import/commit" csrf={csrf} class="inline-form">
          <input type="hidden" name="token" value={outcome.token} />
          <button class="btn btn-primary btn-sm" type="submit">{t("cat.importNow", { n: outcome.rows })}</button>
        </PostForm>
        <p class="muted">{t("cat.importKept", { minutes: outcome.minutes })}</p>
      </div>
    );
  }
  const hidden = outcome.totalProblems - outcome.problems.length;
  return (
    <section class="card" aria-labelledby="import-errors" data-testid="import-errors">
      <p class="alert alert-error" role="alert" id="import-errors">
        {t("cat.importRefused", { rows: outcome.badRows })}
      </p>
      <TableScroll label={t("cat.errReason")}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("cat.errLine")}</th>
              <th scope="col">{t("cat.errColumn")}</th>
              <th scope="col">{t("cat.errReason")}</th>
            </tr>
          </thead>
          <tbody>
            {outcome.problems.map((p) => (
              <tr key={`${p.line}-${p.column}`}>
                <td>{p.line}</td>
                <td>
                  <code>{p.column}</code>
                </td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {hidden > 0 && <p class="muted">{t("cat.errMore", { n: hidden, rows: outcome.badRows })}</p>}
    </section>
  );
}
