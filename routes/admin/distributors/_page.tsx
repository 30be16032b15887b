import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { fail } from "../../../lib/errors.ts";
import { can, staffRoleOf } from "../../../domain/permissions.ts";
import { applicationsOf, distributorProfile, rankHistory } from "../../../services/distributors_admin.ts";
import { teamFigures } from "../../../services/earnings.ts";
import { erasedAtOf } from "../../../services/member_data.ts";
import { DistributorProfile } from "../../../components/DistributorProfile.tsx";
import { EraseMemberCard } from "../../../components/EraseMemberCard.tsx";
import { translateMessage } from "../../../i18n/messages.ts";

/** One distributor's page for staff; `message` is a refused erasure (shown above its form). */
export async function distributorPage(c: Ctx, id: string, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const profile = await distributorProfile(db, id, c.get("deps").shop.now());
  if (!profile) throw fail.notFound("Distributor");
  const user = c.get("user")!;
  const [apps, ranks, figures, erasedAt] = await Promise.all([
    applicationsOf(db, user, id),
    rankHistory(db, id),
    teamFigures(db, id),
    erasedAtOf(db, id),
  ]);
  const props = { t, user, profile, apps, ranks, figures };
  return renderPage(
    c,
    <>
      <DistributorProfile {...props} />
      {can(staffRoleOf(user), "members.erase") && (
        <EraseMemberCard
          t={t}
          memberId={id}
          csrf={c.get("csrf")}
          erasedAt={erasedAt}
          message={message && translateMessage(c.get("locale"), message)}
        />
      )}
    </>,
    { title: profile.name, status },
  );
}
