import type { Translator } from "../i18n/messages.ts";
import type { DistributorTag, SalesDrop } from "../domain/analytics/tags.ts";
import { dropPercent } from "../domain/analytics/tags.ts";

/** A distributor's tags, each with the rule that gave it written out beside it (not only in a tooltip). */
export function DistributorTags({ tags, t }: { tags: DistributorTag[]; t: Translator }) {
  return (
    <>
      {tags.map((tag) => (
        <div key={tag.rule} class="tag-rule" data-tag={tag.tag}>
          <span class="badge badge-info">{t(`ops.tag.${tag.rule}`)}</span>{" "}
          <span class="muted">{t(`ops.rule.${tag.rule}`)}</span>
        </div>
      ))}
    </>
  );
}

/** The sales-drop alert as a line: the badge and the like-for-like figures it compared. */
export function SalesDropLine({ drop, t }: { drop: SalesDrop; t: Translator }) {
  return (
    <span class="drop-alert">
      <span class="badge badge-warn">{t("ops.drop")}</span> {t("ops.dropLine", {
        days: drop.days,
        current: drop.current,
        previous: drop.previous,
        percent: dropPercent(drop),
      })}
    </span>
  );
}

/** Every tag rule and the drop alert's rule, in full, for the foot of the distributor pages. */
export function TagRules({ t }: { t: Translator }) {
  return (
    <section class="card" aria-labelledby="tag-rules" data-testid="tag-rules">
      <h2 id="tag-rules">{t("ops.tags")}</h2>
      <ul class="plain-list">
        {(["quality", "potential", "warning"] as const).map((rule) => (
          <li key={rule}>
            <span class="badge badge-info">{t(`ops.tag.${rule}`)}</span> {t(`ops.rule.${rule}`)}
          </li>
        ))}
      </ul>
      <p class="muted">{t("ops.tagRules")}</p>
      <p class="muted">{t("ops.rule.drop")}</p>
    </section>
  );
}
