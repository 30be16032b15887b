import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { applicationsOf, distributorProfile, rankHistory } from "../services/distributors_admin.ts";
import type { teamFigures } from "../services/earnings.ts";
import { DistributorTags, SalesDropLine, TagRules } from "./DistributorTags.tsx";
import { TableScroll } from "./TableScroll.tsx";
import { shopDay } from "../domain/shop_time.ts";

/** One distributor for staff: rank, tags, the last months' sales and refunds, team, applications, rank history. */
export function DistributorProfile(
  { t, profile, apps, ranks, figures }: {
    t: Translator;
    user: UserRow | undefined;
    profile: NonNullable<Awaited<ReturnType<typeof distributorProfile>>>;
    apps: Awaited<ReturnType<typeof applicationsOf>>;
    ranks: Awaited<ReturnType<typeof rankHistory>>;
    figures: Awaited<ReturnType<typeof teamFigures>>;
  },
) {
  return (
    <section class="stack">
      <h1>{profile.name}</h1>
      <div class="card">
        <p>
          {t("dash.rank")}: <strong>{t(`rank.${profile.rank}`)}</strong> · {t("dash.members")}: {profile.members}
        </p>
        <DistributorTags tags={profile.tags} t={t} />
        {profile.drop && (
          <p>
            <SalesDropLine drop={profile.drop} t={t} />
          </p>
        )}
        <TableScroll label={t("dash.teamSales")}>
          <table class="table" data-testid="distributor-months">
            <thead>
              <tr>
                <th scope="col">{t("ops.month")}</th>
                <th scope="col">{t("ops.grossSales")}</th>
                <th scope="col">{t("ops.refunded")}</th>
                <th scope="col">{t("ops.netSales")}</th>
                <th scope="col">{t("ops.refundRate")}</th>
              </tr>
            </thead>
            <tbody>
              {profile.months.map((m, i) => (
                <tr key={m.month}>
                  <td>{m.month}{i === 3 && t("ops.soFar")}</td>
                  <td>¥{m.sales}</td>
                  <td>¥{m.refunds}</td>
                  <td>¥{m.net}</td>
                  <td>{(Number(m.refundRate) * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </div>
      <div class="card">
        <h2>{t("dash.teamSales")}</h2>
        <ul class="plain-list">
          {figures.map((f) => <li key={f.tier}>{t(`dash.tier${f.tier}`)}: {f.members} · ¥{f.d30}</li>)}
        </ul>
      </div>
      <div class="card">
        <h2>{t("ops.qualifications")}</h2>
        {apps.length === 0 ? <p class="muted">—</p> : (
          <ul class="plain-list">
            {apps.map((a, i) => <li key={i}>{a.contact} · {a.channels} · {a.experience} ({a.status})</li>)}
          </ul>
        )}
        <h2>{t("ops.rankHistory")}</h2>
        {ranks.length === 0 ? <p class="muted">—</p> : (
          <ul class="plain-list">
            {ranks.map((r, i) => <li key={i}>{shopDay(r.at)} {r.from_rank} → {r.to_rank} · {r.reason}</li>)}
          </ul>
        )}
      </div>
      <TagRules t={t} />
    </section>
  );
}
