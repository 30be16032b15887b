import { z } from "zod";
import type { Db } from "../db/db.ts";
import { appendEvent } from "../db/events_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { findUserById, type UserRow } from "../db/users_repo.ts";
import { evaluateRank, inactiveDays, RANKS, type RankStats } from "../domain/commission/ranks.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { labelFor, msg, says, storedMessage } from "../i18n/messages.ts";
import { currentPlan } from "./distribution.ts";
import type { Rank } from "../domain/commission/plan.ts";
import { MAX_TIERS } from "../domain/referral.ts";
import { fail } from "../lib/errors.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import { appConfig } from "../fresh.config.ts";
import { text } from "../lib/text.ts";
import { rebuildTeamFigures } from "./team.ts";
import { shopDay, shopDayBefore } from "../domain/shop_time.ts";

/** A distributor's last-30-days figures for rank rules, from the incremental team figures. */
export async function rankStats(db: Db, userId: string, now: Date): Promise<RankStats> {
  const from = shopDayBefore(now, 29);
  const [row] = await db.query<
    { personal: string; team: string; active: number; last: string | null; changed: string | null }
  >(
    `SELECT coalesce((SELECT sum(sales) FROM team_daily WHERE ancestor_id = $1 AND depth = 1 AND day >= $2::date), 0)::numeric(20,2)::text AS personal,
            coalesce((SELECT sum(sales) FROM team_daily WHERE ancestor_id = $1 AND depth BETWEEN 1 AND ${MAX_TIERS} AND day >= $2::date), 0)::numeric(20,2)::text AS team,
            (SELECT count(DISTINCT d.ancestor_id) FROM referral_paths rp
               JOIN team_daily d ON d.ancestor_id = rp.descendant_id AND d.depth = 0 AND d.day >= $2::date AND d.sales > 0
              WHERE rp.ancestor_id = $1 AND rp.depth = 1)::int AS active,
            (SELECT max(day)::text FROM team_daily WHERE ancestor_id = $1 AND depth BETWEEN 1 AND ${MAX_TIERS} AND orders > 0) AS last,
            (SELECT (max(at) AT TIME ZONE $3)::date::text FROM rank_changes WHERE user_id = $1) AS changed`,
    [userId, from, appConfig.timeZone],
  );
  const today = shopDay(now);
  const days = (day: string | null) =>
    day === null ? null : Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000);
  return {
    personalSales: row.personal,
    teamSales: row.team,
    activeDirectCustomers: row.active,
    daysSinceLastSale: days(row.last),
    daysSinceRankChange: days(row.changed),
  };
}

/** Rank figures of several distributors in one query (see `rankStats`). */
export async function rankStatsMany(db: Db, userIds: string[], now: Date): Promise<Map<string, RankStats>> {
  if (userIds.length === 0) return new Map();
  const from = shopDayBefore(now, 29);
  const rows = await db.query<{ id: string; personal: string; team: string; active: number; last: string | null }>(
    `SELECT u.id::text AS id,
            coalesce((SELECT sum(sales) FROM team_daily WHERE ancestor_id = u.id AND depth = 1 AND day >= $2::date), 0)::numeric(20,2)::text AS personal,
            coalesce((SELECT sum(sales) FROM team_daily WHERE ancestor_id = u.id AND depth BETWEEN 1 AND ${MAX_TIERS} AND day >= $2::date), 0)::numeric(20,2)::text AS team,
            (SELECT count(DISTINCT d.ancestor_id) FROM referral_paths rp
               JOIN team_daily d ON d.ancestor_id = rp.descendant_id AND d.depth = 0 AND d.day >= $2::date AND d.sales > 0
              WHERE rp.ancestor_id = u.id AND rp.depth = 1)::int AS active,
            (SELECT max(day)::text FROM team_daily WHERE ancestor_id = u.id AND depth BETWEEN 1 AND ${MAX_TIERS} AND orders > 0) AS last
       FROM unnest(string_to_array($1, ',')::bigint[]) AS u(id)`,
    [userIds.join(","), from],
  );
  const today = shopDay(now);
  return new Map(rows.map((row) => [row.id, {
    personalSales: row.personal,
    teamSales: row.team,
    activeDirectCustomers: row.active,
    daysSinceLastSale: row.last === null ? null : Math.round((Date.parse(today) - Date.parse(row.last)) / 86_400_000),
  }]));
}

/**
 * Re-evaluates the ranks of several distributors (nearest upline first, the lock order) with one
 * read of their figures; only a change writes (recorded, notified and sent live).
 */
export async function reviewRanks(
  tx: Db,
  members: { id: string; rank: Rank }[],
  now: Date,
  rankRules: Parameters<typeof evaluateRank>[2],
): Promise<void> {
  const stats = await rankStatsMany(tx, members.map((m) => m.id), now);
  for (const m of members) {
    const decision = evaluateRank(m.rank, stats.get(m.id)!, rankRules);
    if (decision.changed) await reviewRank(tx, m.id, now);
  }
}

/** Re-evaluates a distributor's rank; a change is recorded, notified and sent live. */
export async function reviewRank(tx: Db, userId: string, now: Date): Promise<Rank | null> {
  // The member's row first (LOCK_ORDER.md step 7, the row the change writes): two sweeps or a sweep
  // and a payment deciding at once would otherwise both record, notify and send one change.
  const [user] = await tx.query<{ rank: Rank }>("SELECT rank FROM users WHERE id = $1 FOR UPDATE", [userId]);
  if (!user) return null;
  const { rankRules } = await currentPlan(tx);
  const stats = await rankStats(tx, userId, now);
  const decision = evaluateRank(user.rank, stats, rankRules);
  if (!decision.changed) return null;
  await tx.query("UPDATE users SET rank = $2 WHERE id = $1", [userId, decision.rank]);
  // When it changed restarts the inactivity clock (at the sweep's `now`, so reruns see it).
  await tx.query("INSERT INTO rank_changes (user_id, from_rank, to_rank, reason, at) VALUES ($1, $2, $3, $4, $5)", [
    userId,
    user.rank,
    decision.rank,
    decision.reason,
    now,
  ]);
  await tx.query(
    "INSERT INTO notifications (user_id, kind, priority, title, body) VALUES ($1, 'rank_change', 'normal', $2, $3)",
    [
      userId,
      storedMessage("notify.rank_change.title", { rank: { key: `rank.${decision.rank}` } }),
      RANKS.indexOf(decision.rank) < RANKS.indexOf(user.rank)
        ? storedMessage("notify.rank_change.demoted", { days: stats.daysSinceLastSale ?? inactiveDays(stats) ?? 0 })
        : storedMessage("notify.rank_change.promoted", {
          sales: toMoneyString(money(stats.teamSales)),
          customers: stats.activeDirectCustomers,
        }),
    ],
  );
  await appendEvent(tx, "rank", { from: user.rank, to: decision.rank, reason: decision.reason }, [userRoom(userId)]);
  return decision.rank;
}

/**
 * Demotes, one step, distributors whose teams have been inactive for the plan's period
 * (`demoteAfterInactiveDays`) since both their last team sale and their last rank change, a
 * few hundred per sweep. Running it again on the same figures changes nothing.
 */
export async function demoteInactive(db: Db, now: Date): Promise<number> {
  const { rankRules } = await currentPlan(db);
  const since = shopDayBefore(now, rankRules.demoteAfterInactiveDays - 1);
  const candidates = await db.query<{ id: string }>(
    `SELECT u.id FROM users u WHERE u.rank <> 'standard'
        AND NOT EXISTS (SELECT 1 FROM team_daily d WHERE d.ancestor_id = u.id AND d.depth BETWEEN 1 AND ${MAX_TIERS} AND d.orders > 0
                          AND d.day >= $1::date)
        AND NOT EXISTS (SELECT 1 FROM rank_changes r WHERE r.user_id = u.id AND (r.at AT TIME ZONE $2)::date >= $1::date)
      ORDER BY u.id LIMIT 200`,
    [since, appConfig.timeZone],
  );
  let changed = 0;
  for (const c of candidates) {
    if (await db.transaction((tx) => reviewRank(tx, String(c.id), now))) changed++;
  }
  return changed;
}

/** The distributor application form. */
export const applicationSchema = z.object({
  contact: text().trim().min(3, says("portal.err.contact")).max(100),
  channels: text({ multiline: true }).trim().min(2, says("portal.err.channels")).max(500),
  experience: text({ multiline: true }).trim().max(1000).default(""),
});

/** A member applies to become a distributor (one open application at a time). */
export async function applyAsDistributor(db: Db, user: UserRow, input: z.infer<typeof applicationSchema>) {
  if (user.role !== "shopper") throw fail.conflict("portal.err.alreadyDistributor");
  return await db.transaction(async (tx) => {
    await tx.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [user.id]);
    const [open] = await tx.query("SELECT 1 FROM distributor_applications WHERE user_id = $1 AND status = 'pending'", [
      user.id,
    ]);
    if (open) throw fail.conflict("portal.err.underReview");
    const [row] = await tx.query<{ id: string; created_at: Date }>(
      "INSERT INTO distributor_applications (user_id, contact, channels, experience) VALUES ($1, $2, $3, $4) RETURNING id, created_at",
      [user.id, input.contact, input.channels, input.experience],
    );
    return { id: String(row.id), status: "pending", ...input, createdAt: new Date(row.created_at).toISOString() };
  });
}

/** A member's latest distributor application (pending, approved or rejected, with the reason), or null. */
export async function latestApplication(db: Db, userId: string) {
  const [row] = await db.query<
    { id: string; status: "pending" | "approved" | "rejected"; decision_reason: string | null; created_at: Date }
  >(
    `SELECT id, status, decision_reason, created_at FROM distributor_applications
      WHERE user_id = $1 ORDER BY id DESC LIMIT 1`,
    [userId],
  );
  return row
    ? {
      id: String(row.id),
      status: row.status,
      reason: row.decision_reason,
      createdAt: new Date(row.created_at).toISOString(),
    }
    : null;
}

/** A manager approves (the member becomes a distributor) or rejects an application with a reason. */
export async function decideApplication(
  db: Db,
  manager: UserRow,
  id: string,
  approve: boolean,
  reason: string,
  ip: string | null,
  now = new Date(),
) {
  return await db.transaction(async (tx) => {
    const [app] = await tx.query<{ id: string; user_id: string; status: "pending" | "approved" | "rejected" }>(
      "SELECT id, user_id, status FROM distributor_applications WHERE id = $1 FOR UPDATE",
      [/^\d{1,18}$/.test(id) ? id : "0"],
    );
    if (!app) throw fail.notFound("application");
    if (app.status !== "pending") {
      throw fail.as("invalid_transition", "ops.err.applicationDecided", {
        status: labelFor("ops.app.status", app.status),
      });
    }
    const status = approve ? "approved" : "rejected";
    await tx.query(
      "UPDATE distributor_applications SET status = $2, decision_reason = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
      [app.id, status, reason, manager.id, now],
    );
    if (approve) {
      await tx.query("UPDATE users SET role = 'distributor' WHERE id = $1 AND role = 'shopper'", [app.user_id]);
      await appendEvent(tx, "distributor_joined", { userId: String(app.user_id) }, [MANAGERS_ROOM]);
    }
    await tx.query(
      "INSERT INTO notifications (user_id, kind, priority, title, body) VALUES ($1, 'application', 'important', $2, $3)",
      [
        app.user_id,
        storedMessage(approve ? "notify.application.approved" : "notify.application.rejected"),
        reason,
      ],
    );
    await appendAudit(tx, {
      actorId: String(manager.id),
      action: `application.${status}`,
      target: `user:${app.user_id}`,
      ip,
      before: { status: "pending" },
      after: { status, reason },
    });
    return { id: String(app.id), status, reason };
  });
}

/**
 * A manager moves a member (with their downline) under another upline. No self-referral and no
 * cycles; the closure rows of the member and the two tiers below them are rebuilt; team counts
 * of the old and new uplines follow. Past commission lines are untouched: the move affects
 * future orders only. Audited with before/after.
 */
export async function moveMember(db: Db, manager: UserRow, memberId: string, newUplineId: string, ip: string | null) {
  return await db.transaction(async (tx) => {
    await tx.query("LOCK TABLE referral_paths IN SHARE ROW EXCLUSIVE MODE");
    const member = await findUserById(tx, memberId);
    const upline = await findUserById(tx, newUplineId);
    if (!member) throw fail.notFound("member");
    if (!upline) throw fail.invalid("ops.err.unknownUpline", {}, { uplineId: msg("ops.err.noMemberId") });
    if (memberId === newUplineId) {
      throw fail.invalid("ops.err.selfReferral", {}, { uplineId: msg("ops.err.chooseAnother") });
    }
    const [cycle] = await tx.query(
      `WITH RECURSIVE up AS (SELECT id, upline_id FROM users WHERE id = $1
                             UNION ALL SELECT u.id, u.upline_id FROM users u JOIN up ON u.id = up.upline_id)
       SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
      [newUplineId, memberId],
    );
    if (cycle) {
      throw fail.invalid("ops.err.cycle", {}, { uplineId: msg("ops.err.cycleField") });
    }
    const oldChain =
      (await tx.query<{ ancestor_id: string }>("SELECT ancestor_id FROM referral_paths WHERE descendant_id = $1", [
        memberId,
      ]))
        .map((r) => String(r.ancestor_id));
    const newChain = [
      newUplineId,
      ...(await tx.query<{ ancestor_id: string }>(
        "SELECT ancestor_id FROM referral_paths WHERE descendant_id = $1 ORDER BY depth",
        [newUplineId],
      )).map((r) => String(r.ancestor_id)),
    ];
    // The member (k = 0) and their downline that still has ancestors above the member (k < MAX_TIERS) lose those.
    const below = await tx.query<{ id: string; k: number }>(
      `SELECT $1::bigint AS id, 0 AS k UNION ALL
       SELECT descendant_id, depth FROM referral_paths WHERE ancestor_id = $1 AND depth <= ${MAX_TIERS - 1}`,
      [memberId],
    );
    for (const { id, k } of below) {
      await tx.query("DELETE FROM referral_paths WHERE descendant_id = $1 AND depth > $2", [id, k]);
      for (const [i, ancestor] of newChain.entries()) {
        if (k + 1 + i > MAX_TIERS) break;
        await tx.query("INSERT INTO referral_paths (ancestor_id, descendant_id, depth) VALUES ($1, $2, $3)", [
          ancestor,
          id,
          k + 1 + i,
        ]);
      }
    }
    await tx.query("UPDATE users SET upline_id = $2 WHERE id = $1", [memberId, newUplineId]);
    await rebuildTeamFigures(tx, [...new Set([...oldChain, ...newChain])]);
    await tx.query("INSERT INTO member_moves (member_id, from_upline, to_upline, actor_id) VALUES ($1, $2, $3, $4)", [
      memberId,
      member.upline_id,
      newUplineId,
      manager.id,
    ]);
    await appendAudit(tx, {
      actorId: String(manager.id),
      action: "member.move",
      target: `user:${memberId}`,
      ip,
      before: { uplineId: member.upline_id === null ? null : String(member.upline_id) },
      after: { uplineId: newUplineId },
    });
    return { memberId, uplineId: newUplineId };
  });
}
