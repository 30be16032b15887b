import Big from "big.js";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { LEDGER_LOCK } from "../db/ledger_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import type { UserRow } from "../db/users_repo.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { AppError, fail } from "../lib/errors.ts";
import { msg, says } from "../i18n/messages.ts";
import { toCsv } from "../lib/csv.ts";
import { duePeriod, type PeriodKind } from "../domain/commission/periods.ts";
import { checkStatement } from "../domain/ledger/statement_check.ts";
import { can, staffRoleOf } from "../domain/permissions.ts";
import { likeContains, text } from "../lib/text.ts";
import { orderByClause, type SortColumn } from "../db/list_order.ts";

/** The body of closing a settlement period. */
export const closePeriodSchema = z.object({
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
}).refine((v) => new Date(v.endsAt) > new Date(v.startsAt), {
  message: says("validation.afterStart"),
  path: ["endsAt"],
});

/** A line of a statement: one ledger movement of the distributor's money. */
export interface StatementLine {
  at: string;
  kind: "commission" | "reversal" | "withdrawal";
  ref: string;
  amount: string;
  tax?: string;
}

const DISTRIBUTOR_KINDS = "('pending', 'available', 'withdrawing')";

/**
 * Closes a settlement period into one locked statement per distributor: opening balance, each
 * credit, reversal and withdrawal, tax withheld, closing balance. It takes the ledger lock
 * exclusively, so every posting committed before the close is in it and every later one (a late
 * refund, say) lands in the next period as an adjustment. Statements are never edited.
 */
export async function closePeriod(
  db: Db,
  manager: UserRow | null,
  input: z.infer<typeof closePeriodSchema>,
  ip: string | null,
  now = new Date(),
) {
  return await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [LEDGER_LOCK]);
    const [previous] = await tx.query<{ ends_at: Date; watermark: string }>(
      "SELECT ends_at, watermark FROM settlement_periods ORDER BY starts_at DESC LIMIT 1",
    );
    if (previous && new Date(previous.ends_at).getTime() !== new Date(input.startsAt).getTime()) {
      throw fail.conflict("stmt.err.continue", { at: new Date(previous.ends_at).toISOString() }, {
        startsAt: msg("stmt.err.continueField"),
      });
    }
    if (new Date(input.endsAt) > now) {
      throw fail.invalid("stmt.err.notEnded", {}, { endsAt: msg("stmt.err.future") });
    }
    const from = previous ? Number(previous.watermark) : 0;
    const [{ watermark }] = await tx.query<{ watermark: string }>(
      "SELECT coalesce(max(id), 0) AS watermark FROM ledger_entries",
    );
    const [period] = await tx.query<{ id: string }>(
      "INSERT INTO settlement_periods (starts_at, ends_at, closed_by, watermark) VALUES ($1, $2, $3, $4) RETURNING id",
      [input.startsAt, input.endsAt, manager?.id ?? null, watermark],
    );
    const entries = await tx.query<
      { owner_id: string; tx_kind: string; ref: string; amount: string; created_at: Date }
    >(
      `SELECT a.owner_id, t.kind AS tx_kind, t.ref, sum(e.amount)::numeric(20,2)::text AS amount, min(e.created_at) AS created_at
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.id > $1 AND e.id <= $2 AND a.owner_id IS NOT NULL AND a.kind IN ${DISTRIBUTOR_KINDS}
        GROUP BY a.owner_id, t.id, t.kind, t.ref ORDER BY a.owner_id, t.id`,
      [from, watermark],
    );
    const openings = await tx.query<{ owner_id: string; balance: string }>(
      `SELECT a.owner_id, (-sum(e.amount))::numeric(20,2)::text AS balance
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
        WHERE e.id <= $1 AND a.owner_id IS NOT NULL AND a.kind IN ${DISTRIBUTOR_KINDS} GROUP BY a.owner_id`,
      [from],
    );
    const taxes = await tx.query<{ ref: string; tax: string }>(
      `SELECT t.ref, (-sum(e.amount))::numeric(20,2)::text AS tax FROM ledger_entries e
         JOIN ledger_accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.id > $1 AND e.id <= $2 AND a.kind = 'withheld_tax' GROUP BY t.ref`,
      [from, watermark],
    );
    const taxByRef = new Map(taxes.map((t) => [t.ref, t.tax]));
    const byOwner = new Map<string, typeof entries>();
    for (const e of entries) {
      const list = byOwner.get(String(e.owner_id)) ?? [];
      list.push(e);
      byOwner.set(String(e.owner_id), list);
    }
    for (const o of openings) if (!byOwner.has(String(o.owner_id))) byOwner.set(String(o.owner_id), []);
    let statements = 0;
    for (const [owner, list] of byOwner) {
      const opening = money(openings.find((o) => String(o.owner_id) === owner)?.balance ?? "0");
      let credits = new Big(0), reversals = new Big(0), withdrawals = new Big(0), tax = new Big(0);
      const lines: StatementLine[] = [];
      for (const e of list) {
        const change = money(e.amount).neg(); // the distributor's view: credits positive
        if (change.eq(0)) continue; // internal moves (release, hold) do not change what is owed
        const kind = e.tx_kind === "commission" ? "commission" : e.tx_kind === "reversal" ? "reversal" : "withdrawal";
        if (kind === "commission") credits = credits.plus(change);
        else if (kind === "reversal") reversals = reversals.plus(change.neg());
        else withdrawals = withdrawals.plus(change.neg());
        const lineTax = kind === "withdrawal" ? taxByRef.get(e.ref) : undefined;
        if (lineTax) tax = tax.plus(money(lineTax));
        lines.push({
          at: new Date(e.created_at).toISOString(),
          kind,
          ref: e.ref,
          amount: toMoneyString(change),
          ...(lineTax ? { tax: lineTax } : {}),
        });
      }
      const closing = opening.plus(credits).minus(reversals).minus(withdrawals);
      if (lines.length === 0 && opening.eq(0)) continue;
      await tx.query(
        `INSERT INTO statements (period_id, user_id, opening, credits, reversals, withdrawals, tax, closing, lines)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)`,
        [
          period.id,
          owner,
          toMoneyString(opening),
          toMoneyString(credits),
          toMoneyString(reversals),
          toMoneyString(withdrawals),
          toMoneyString(tax),
          toMoneyString(closing),
          JSON.stringify(lines),
        ],
      );
      statements++;
    }
    await appendAudit(tx, {
      actorId: manager ? String(manager.id) : null,
      action: "settlement.close",
      target: `period:${period.id}`,
      ip,
      after: { ...input, watermark, statements },
    });
    return { id: String(period.id), ...input, statements, watermark: String(watermark) };
  });
}

/** A statement's money figures, in the order statements show them. */
export const STATEMENT_FIGURES = ["opening", "credits", "reversals", "withdrawals", "tax", "closing"] as const;

/** A statement row. */
export interface StatementRow {
  id: string;
  period_id: string;
  user_id: string;
  opening: string;
  credits: string;
  reversals: string;
  withdrawals: string;
  tax: string;
  closing: string;
  lines: StatementLine[];
  starts_at: Date;
  ends_at: Date;
}

/** The API's statement. */
export function statementView(s: StatementRow) {
  return {
    id: String(s.id),
    periodId: String(s.period_id),
    userId: String(s.user_id),
    startsAt: new Date(s.starts_at).toISOString(),
    endsAt: new Date(s.ends_at).toISOString(),
    opening: s.opening,
    credits: s.credits,
    reversals: s.reversals,
    withdrawals: s.withdrawals,
    tax: s.tax,
    closing: s.closing,
    lines: s.lines,
  };
}

const STATEMENT_SELECT =
  `SELECT s.*, p.starts_at, p.ends_at FROM statements s JOIN settlement_periods p ON p.id = s.period_id`;

/** A member's statements, newest first. */
export async function statementsOf(db: Db, userId: string): Promise<StatementRow[]> {
  return await db.query<StatementRow>(`${STATEMENT_SELECT} WHERE s.user_id = $1 ORDER BY p.starts_at DESC`, [userId]);
}

/** One statement of the viewer's own ("me" routes serve only the caller's data); anyone else's is 404. */
export async function statementFor(db: Db, id: string, viewer: UserRow): Promise<StatementRow> {
  if (!/^\d{1,18}$/.test(id)) throw fail.notFound("statement");
  const [s] = await db.query<StatementRow>(`${STATEMENT_SELECT} WHERE s.id = $1 AND s.user_id = $2`, [id, viewer.id]);
  if (!s) throw fail.notFound("statement");
  return s;
}

/**
 * Any member's statement, for staff whose role may review settlements (`settlements.close`); others
 * get 403. Staff read statements here, on the admin routes, never through the member's own ones.
 */
export async function statementForStaff(db: Db, id: string, staff: UserRow): Promise<StatementRow> {
  if (staff.role !== "manager" || !can(staffRoleOf(staff), "settlements.close")) {
    throw fail.forbidden(msg("stmt.err.roleMayNotRead"));
  }
  if (!/^\d{1,18}$/.test(id)) throw fail.notFound("statement");
  const [s] = await db.query<StatementRow>(`${STATEMENT_SELECT} WHERE s.id = $1`, [id]);
  if (!s) throw fail.notFound("statement");
  return s;
}

/** A statement as CSV: a header block, then one row per line. */
export function statementCsv(s: StatementRow): string {
  const rows = [
    ["statement", String(s.id)],
    ["period", `${new Date(s.starts_at).toISOString()} – ${new Date(s.ends_at).toISOString()}`],
    ["opening", s.opening],
    ["credits", s.credits],
    ["reversals", s.reversals],
    ["withdrawals", s.withdrawals],
    ["tax withheld", s.tax],
    ["closing", s.closing],
    [],
    ["at", "kind", "reference", "amount", "tax"],
    ...s.lines.map((l) => [l.at, l.kind, l.ref, l.amount, l.tax ?? ""]),
  ];
  return toCsv(rows);
}

/**
 * Closes every settlement period of the plan's length (weekly, semi-monthly or monthly, in shop
 * time) that has fully ended, as the system. Run by the scheduler; safe on several instances
 * (the close takes the ledger lock and refuses a period that does not continue the last one).
 */
export async function closeDuePeriods(db: Db, now: Date, kind: PeriodKind): Promise<number> {
  let closed = 0;
  for (let guard = 0; guard < 24; guard++) {
    const [last] = await db.query<{ ends_at: Date }>(
      "SELECT ends_at FROM settlement_periods ORDER BY starts_at DESC LIMIT 1",
    );
    const [first] = await db.query<{ at: Date | null }>("SELECT min(created_at) AS at FROM ledger_entries");
    const due = duePeriod(kind, last ? new Date(last.ends_at) : null, first.at ? new Date(first.at) : null, now);
    if (!due) break;
    try {
      await closePeriod(db, null, { startsAt: due.start.toISOString(), endsAt: due.end.toISOString() }, null, now);
      closed++;
    } catch (err) {
      if (err instanceof AppError && err.code === "conflict") break; // another instance closed it first
      throw err;
    }
  }
  return closed;
}

/** The filters of a period's review page. */
export const periodReviewQuery = z.object({
  q: text().trim().max(60).default(""),
  sort: z.enum(["closing", "credits", "reversals", "withdrawals", "member"]).default("closing"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

const REVIEW_PAGE_SIZE = 50;

/**
 * A closed period for the finance reviewer: its totals, and its statements (member name, figures,
 * whether each re-adds) filtered by member name or id, sorted, a page at a time.
 */
export async function periodReview(db: Db, periodId: string, query: z.infer<typeof periodReviewQuery>) {
  if (!/^\d{1,18}$/.test(periodId)) throw fail.notFound("period");
  const [period] = await db.query<
    { id: string; starts_at: Date; ends_at: Date; closed_at: Date; closed_by_name: string | null; watermark: string }
  >(
    `SELECT p.id, p.starts_at, p.ends_at, p.closed_at, u.name AS closed_by_name, p.watermark
       FROM settlement_periods p LEFT JOIN users u ON u.id = p.closed_by WHERE p.id = $1`,
    [periodId],
  );
  if (!period) throw fail.notFound("period");
  const [totals] = await db.query<
    Pick<StatementRow, typeof STATEMENT_FIGURES[number]> & { statements: number; negative: number }
  >(
    `SELECT count(*)::int AS statements, ${
      STATEMENT_FIGURES
        .map((k) => `coalesce(sum(${k}), 0)::numeric(20,2)::text AS ${k}`).join(", ")
    }, count(*) FILTER (WHERE closing < 0)::int AS negative
       FROM statements WHERE period_id = $1`,
    [periodId],
  );
  const order = query.sort === "member" ? "u.name, s.id" : `s.${query.sort} DESC, s.id`;
  const filter = "AND ($2 = '' OR u.name ILIKE $3 OR u.id::text = $2)";
  const search = [query.q, likeContains(query.q)];
  const [{ count }] = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM statements s JOIN users u ON u.id = s.user_id WHERE s.period_id = $1 ${filter}`,
    [periodId, ...search],
  );
  const rows = await db.query<StatementRow & { member: string }>(
    `${
      STATEMENT_SELECT.replace("FROM statements s", "FROM statements s JOIN users u ON u.id = s.user_id")
        .replace("SELECT s.*", "SELECT s.*, u.name AS member")
    }
      WHERE s.period_id = $1 ${filter} ORDER BY ${order} LIMIT ${REVIEW_PAGE_SIZE} OFFSET $4`,
    [periodId, ...search, (query.page - 1) * REVIEW_PAGE_SIZE],
  );
  return {
    period: {
      id: String(period.id),
      startsAt: new Date(period.starts_at).toISOString(),
      endsAt: new Date(period.ends_at).toISOString(),
      closedAt: new Date(period.closed_at).toISOString(),
      closedBy: period.closed_by_name,
      watermark: String(period.watermark),
    },
    totals,
    statements: rows.map((s) => ({ ...statementView(s), member: s.member, check: checkStatement(s) })),
    total: count,
    pageSize: REVIEW_PAGE_SIZE,
  };
}

/** Every statement of a period as one CSV (the finance hand-off); members by id and name. */
export async function periodCsv(db: Db, periodId: string): Promise<{ csv: string; rows: number }> {
  if (!/^\d{1,18}$/.test(periodId)) throw fail.notFound("period");
  const rows = await db.query<StatementRow & { member: string }>(
    `SELECT s.*, u.name AS member, p.starts_at, p.ends_at FROM statements s JOIN users u ON u.id = s.user_id
       JOIN settlement_periods p ON p.id = s.period_id WHERE s.period_id = $1 ORDER BY s.id`,
    [periodId],
  );
  const csv = toCsv([
    [
      "statement",
      "member_id",
      "member",
      "opening",
      "credits",
      "reversals",
      "withdrawals",
      "tax",
      "closing",
      "reconciles",
    ],
    ...rows.map((s) => [
      String(s.id),
      String(s.user_id),
      s.member,
      s.opening,
      s.credits,
      s.reversals,
      s.withdrawals,
      s.tax,
      s.closing,
      checkStatement(s).ok ? "yes" : "NO",
    ]),
  ]);
  return { csv, rows: rows.length };
}

/** The columns the settlement periods list sorts by: the period (its start), statements, total owed. */
export const PERIOD_SORTS = ["period", "statements", "owed"] as const;
/** A sort key of the settlement periods list. */
export type PeriodSort = (typeof PERIOD_SORTS)[number];
const PERIOD_SORT_COLUMNS: Record<PeriodSort, SortColumn> = {
  period: "p.starts_at",
  statements: "statements",
  owed: "coalesce(sum(s.closing), 0)",
};

/** What the settlement periods list shows: periods overlapping some days (shop time), a sort and a page. */
export interface PeriodQuery {
  /** Periods that end after the start of this day / start before the end of this day (YYYY-MM-DD). */
  from?: string;
  to?: string;
  timeZone: string;
  sort: PeriodSort;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/** A settlement period as the list shows it: its statement count and total owed. */
export interface PeriodRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  closed_at: Date;
  statements: number;
  total: string;
}

/** A page of settlement periods, filtered by day, sorted and paged in SQL, with how many match. */
export async function settlementPeriods(db: Db, query: PeriodQuery): Promise<{ total: number; rows: PeriodRow[] }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  const tz = query.from || query.to ? param(query.timeZone) : "";
  if (query.from) where.push(`p.ends_at > (${param(query.from)}::date::timestamp AT TIME ZONE ${tz})`);
  if (query.to) where.push(`p.starts_at < ((${param(query.to)}::date + 1)::timestamp AT TIME ZONE ${tz})`);
  const rows = await db.query<PeriodRow & { n: number }>(
    `SELECT p.id, p.starts_at, p.ends_at, p.closed_at, count(s.id)::int AS statements,
            coalesce(sum(s.closing), 0)::numeric(20,2)::text AS total, count(*) OVER ()::int AS n
       FROM settlement_periods p LEFT JOIN statements s ON s.period_id = p.id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      GROUP BY p.id ${orderByClause(PERIOD_SORT_COLUMNS, query.sort, query.dir, "p.id")}
      LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`,
    params,
  );
  if (rows.length === 0 && query.offset > 0) {
    // Past the last page: how many there are, for the pager's way back.
    return { total: (await settlementPeriods(db, { ...query, limit: 1, offset: 0 })).total, rows: [] };
  }
  return { total: rows[0]?.n ?? 0, rows: rows.map(({ n: _, ...r }) => r) };
}

/** Where the last closed settlement period ended (the next one starts there), or null before the first. */
export async function lastPeriodEnd(db: Db): Promise<Date | null> {
  const [row] = await db.query<{ ends_at: Date }>(
    "SELECT ends_at FROM settlement_periods ORDER BY starts_at DESC LIMIT 1",
  );
  return row ? new Date(row.ends_at) : null;
}
