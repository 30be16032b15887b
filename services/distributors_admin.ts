import type { Db } from "../db/db.ts";
import { distributorTags, salesDropAlert } from "../domain/analytics/tags.ts";
import { appConfig } from "../fresh.config.ts";

/**
 * Distributors for the manager console: rank, team size, the last three months of team sales
 * and refunds (from the incremental daily figures), automatic tags with their rule, and an alert
 * when this month's sales dropped 20 % or more against last month. Ranked by this month's sales.
 */
export async function distributorProfiles(db: Db, now = new Date(), limit = 100) {
  const month = (back: number) => {
    const d = new Date(now.toLocaleString("en-US", { timeZone: appConfig.timeZone }));
    d.setDate(1);
    d.setMonth(d.getMonth() - back);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-01`;
  };
  const rows = await db.query<
    {
      id: string;
      name: string;
      rank: string;
      role: string;
      members: number;
      m0: string;
      m1: string;
      m2: string;
      r0: string;
      r1: string;
      r2: string;
    }
  >(
    `WITH ranked AS (
       SELECT u.id, u.name, u.rank, u.role,
              coalesce((SELECT sum(members) FROM team_counts c WHERE c.ancestor_id = u.id), 0)::int AS members,
              coalesce((SELECT sum(sales) FROM team_daily d WHERE d.ancestor_id = u.id AND d.depth BETWEEN 1 AND 3 AND d.day >= $1::date), 0) AS s0,
              coalesce((SELECT sum(sales) FROM team_daily d WHERE d.ancestor_id = u.id AND d.depth BETWEEN 1 AND 3
                          AND d.day >= $2::date AND d.day < $1::date), 0) AS s1,
              coalesce((SELECT sum(sales) FROM team_daily d WHERE d.ancestor_id = u.id AND d.depth BETWEEN 1 AND 3
                          AND d.day >= $3::date AND d.day < $2::date), 0) AS s2
         FROM users u WHERE u.role = 'distributor' OR EXISTS (SELECT 1 FROM team_counts c WHERE c.ancestor_id = u.id))
     SELECT r.id, r.name, r.rank, r.role, r.members, r.s0::numeric(20,2)::text AS m0, r.s1::numeric(20,2)::text AS m1,
            r.s2::numeric(20,2)::text AS m2,
            coalesce((SELECT sum(v.amount) FROM commission_reversals v JOIN commission_lines l ON l.id = v.commission_line_id
                       WHERE l.beneficiary_id = r.id AND v.created_at >= $1::date), 0)::numeric(20,2)::text AS r0,
            '0.00' AS r1, '0.00' AS r2
       FROM ranked r ORDER BY r.s0 DESC, r.members DESC LIMIT $4`,
    [month(0), month(1), month(2), limit],
  );
  return rows.map((r) => {
    // Refunds are approximated from claw-backs this month; earlier months count none.
    const months = [{ sales: r.m2, refunds: r.r2 }, { sales: r.m1, refunds: r.r1 }, { sales: r.m0, refunds: r.r0 }];
    return {
      id: String(r.id),
      name: r.name,
      rank: r.rank,
      members: r.members,
      sales: { thisMonth: r.m0, lastMonth: r.m1, twoMonthsAgo: r.m2 },
      tags: distributorTags(months),
      dropAlert: salesDropAlert(r.m1, r.m0),
    };
  });
}
