import type { MessageKey, Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { distributorOverview, pendingApplications } from "../services/distributors_admin.ts";
import { DecisionForms } from "./DecisionForms.tsx";
import { DistributorTags, SalesDropLine, TagRules } from "./DistributorTags.tsx";

type Overview = Awaited<ReturnType<typeof distributorOverview>>;

/** Distributors: sales-drop alerts, applications to review, the ranking with tags. */
export function DistributorList(
  { t, csrf, alerts, applications, profiles }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    alerts: Overview["alerts"];
    applications: Awaited<ReturnType<typeof pendingApplications>>;
    profiles: Overview["profiles"];
  },
) {
  return (
    <section class="stack">
      <h1>{t("ops.distributors")}</h1>
      <section class="card" aria-labelledby="drop-alerts">
        <h2 id="drop-alerts">{t("ops.dropAlerts")}</h2>
        {alerts.length === 0
          ? <p class="muted">{t("ops.noDropAlerts")}</p>
          : (
            <ul class="plain-list" data-testid="drop-alerts">
              {alerts.map((p) => (
                <li key={p.id}>
                  <a href={`/admin/distributors/${p.id}`}>{p.name}</a> <SalesDropLine drop={p.drop!} t={t} />
                </li>
              ))}
            </ul>
          )}
        <p class="muted">{t("ops.rule.drop")}</p>
      </section>
      {applications.length > 0 && (
        <section class="card" aria-labelledby="apps">
          <h2 id="apps">{t("ops.applications")}</h2>
          <ul class="plain-list">
            {applications.map((a) => (
              <li key={a.id}>
                <strong>{a.name}</strong> · {a.contact} · {a.channels}{" "}
                {a.experience && <span class="muted">· {a.experience}</span>}
                <DecisionForms base={`/admin/applications/${a.id}`} csrf={csrf} t={t} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="table-scroll">
        <table class="table" data-testid="distributors">
          <thead>
            <tr>
              <th scope="col">{t("auth.name")}</th>
              <th scope="col">{t("dash.rank")}</th>
              <th scope="col">{t("dash.members")}</th>
              <th scope="col">{t("ops.thisMonth")}</th>
              <th scope="col">{t("ops.lastMonth")}</th>
              <th scope="col">{t("ops.tags")}</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/admin/distributors/${p.id}`}>{p.name}</a>
                </td>
                <td>{t(`rank.${p.rank}` as MessageKey)}</td>
                <td>{p.members}</td>
                <td>
                  ¥{p.sales.thisMonth} {p.drop && <span class="badge badge-warn">{t("ops.drop")}</span>}
                </td>
                <td>¥{p.sales.lastMonth}</td>
                <td>
                  <DistributorTags tags={p.tags} t={t} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TagRules t={t} />
    </section>
  );
}
