import { z } from "zod";
import type { Db } from "../db/db.ts";
import {
  findUserById,
  findUserIdsByPhone,
  personalDataOf,
  setIdNumber,
  setPhone,
  toUser,
  type UserRow,
} from "../db/users_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { can, STAFF_ROLES, type StaffRole, staffRoleOf } from "../domain/permissions.ts";
import { maskContact, maskIdNumber, maskPhone } from "../domain/pii.ts";
import type { MemberLevel } from "../domain/pricing/member_price.ts";
import { orderByClause, type SortColumn } from "../db/list_order.ts";
import { likeContains } from "../lib/text.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { fail } from "../lib/errors.ts";
import { msg, says } from "../i18n/messages.ts";

/** The body of setting a manager's staff role. */
export const staffRoleSchema = z.object({ staffRole: z.enum(STAFF_ROLES) });

/** A member's own profile changes (phone, and the ID number that tax withholding needs). */
export const profileSchema = z.object({
  phone: z.string().trim().regex(/^\+?[0-9 -]{6,20}$/, says("validation.phone")).optional(),
  idNumber: z.string().trim().regex(/^[0-9]{17}[0-9Xx]$/, says("account.err.idNumber")).optional(),
}).refine((v) => v.phone !== undefined || v.idNumber !== undefined, { message: says("account.err.phoneOrId") });

/**
 * Refuses a change that would leave the shop without an admin (a manager whose staff role is
 * admin; the first manager, without one, counts as admin). Locks the admins' rows, so two
 * admins demoting each other at once cannot both succeed.
 */
export async function keepAnAdmin(tx: Db, targetId: string, staysAdmin: boolean): Promise<void> {
  if (staysAdmin) return;
  const admins = await tx.query<{ id: string }>(
    "SELECT id FROM users WHERE role = 'manager' AND coalesce(staff_role, 'admin') = 'admin' ORDER BY id FOR UPDATE",
  );
  if (admins.every((a) => String(a.id) === String(targetId))) {
    throw fail.conflict("staff.err.lastAdmin", {}, { staffRole: msg("staff.err.lastAdminField") });
  }
}

/** An admin gives a manager a staff role; audited with before/after. */
export async function setStaffRole(db: Db, actor: UserRow, targetId: string, staffRole: StaffRole, ip: string | null) {
  return await db.transaction(async (tx) => {
    const target = await findUserById(tx, targetId);
    if (!target) throw fail.notFound("member");
    if (target.role !== "manager") {
      throw fail.conflict("staff.err.notManager");
    }
    await keepAnAdmin(tx, targetId, staffRole === "admin");
    await tx.query("UPDATE users SET staff_role = $2 WHERE id = $1", [targetId, staffRole]);
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "user.staff_role",
      target: `user:${targetId}`,
      ip,
      before: { staffRole: staffRoleOf(target) },
      after: { staffRole },
    });
    return { ...toUser(target), staffRole };
  });
}

/** A member updates their phone or ID number (both encrypted at rest with AES-256-GCM; the phone also hashed for look-ups). */
export async function updateProfile(db: Db, box: CryptoBox, user: UserRow, input: z.infer<typeof profileSchema>) {
  await db.transaction(async (tx) => {
    if (input.phone !== undefined) await setPhone(tx, box, String(user.id), input.phone);
    if (input.idNumber !== undefined) await setIdNumber(tx, box, String(user.id), input.idNumber.toUpperCase());
    await appendAudit(tx, {
      actorId: String(user.id),
      action: "user.profile_change",
      target: `user:${user.id}`,
      ip: null,
      after: {
        phone: input.phone ? maskPhone(input.phone) : undefined,
        idNumber: input.idNumber ? maskIdNumber(input.idNumber) : undefined,
      },
    });
  });
}

/**
 * A member's profile for staff: phone and ID number in full only for roles with `pii.read`
 * (each unmasked view is audited as a data export); masked (138****1234) for everyone else.
 */
export async function memberProfile(db: Db, box: CryptoBox, viewer: UserRow, id: string, ip: string | null) {
  const [row] = await db.query<UserRow & { rank: string; total_spent: string; erased_at: Date | null }>(
    `SELECT id, email, name, password_hash, role, referral_code, upline_id, level, created_at, staff_role, rank,
            total_spent, erased_at FROM users WHERE id = $1`,
    [/^\d{1,18}$/.test(id) ? id : "0"],
  );
  if (!row) throw fail.notFound("member");
  const full = can(staffRoleOf(viewer), "pii.read");
  const { phone, idNumber } = await personalDataOf(db, box, String(row.id));
  if (full && (phone || idNumber)) {
    await appendAudit(db, {
      actorId: String(viewer.id),
      action: "user.pii_view",
      target: `user:${row.id}`,
      ip,
      after: { fields: ["phone", "idNumber"] },
    });
  }
  return {
    user: toUser(row),
    rank: row.rank,
    totalSpent: row.total_spent,
    staffRole: row.role === "manager" ? staffRoleOf(row) : null,
    erasedAt: row.erased_at ? new Date(row.erased_at).toISOString() : null,
    phone: phone ? (full ? phone : maskPhone(phone)) : null,
    idNumber: idNumber ? (full ? idNumber : maskIdNumber(idNumber)) : null,
  };
}

/** Masks the phone in an order's address for staff who may not read personal data. */
export function maskOrderFor<T extends { address: Record<string, string> }>(
  viewer: UserRow,
  order: T,
  buyerId: string,
): T {
  if (String(viewer.id) === buyerId || can(staffRoleOf(viewer), "pii.read")) return order;
  return { ...order, address: { ...order.address, phone: maskPhone(order.address.phone ?? "") } };
}

/** `GET /api/admin/users?phone=` query. */
export const phoneLookupSchema = z.object({
  phone: z.string().trim().regex(/^\+?[0-9 -]{6,20}$/, says("validation.phone")),
});

/**
 * Members with this phone (through the keyed look-up hash: phones are sealed at rest), as staff may see
 * them: each profile as `memberProfile` gives it (phone masked unless the role reads personal data).
 */
export async function membersByPhone(db: Db, box: CryptoBox, viewer: UserRow, phone: string, ip: string | null) {
  const ids = await findUserIdsByPhone(db, box, phone);
  const items = [];
  for (const id of ids) items.push(await memberProfile(db, box, viewer, id, ip));
  return { items, total: items.length };
}

/** The columns the members list sorts by: when they joined (their id), name, lifetime spend, points. */
export const MEMBER_SORTS = ["joined", "name", "spent", "points"] as const;
/** A sort key of the members list. */
export type MemberSort = (typeof MEMBER_SORTS)[number];
const MEMBER_SORT_COLUMNS: Record<MemberSort, SortColumn> = {
  joined: "id",
  name: "name",
  spent: "total_spent",
  points: "points_balance",
};

/** What the members list shows: a search, a role, a member level, a sort and a page. */
export interface MemberQuery {
  /** Part of a name, or a whole email address, member id or referral code. */
  q?: string;
  role?: (typeof ROLES)[number];
  level?: MemberLevel;
  sort: MemberSort;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/** The roles a member may have. */
export const ROLES = ["shopper", "distributor", "manager"] as const;

/** A member as the members list shows them (the email masked for staff who may not read personal data). */
export interface MemberListRow {
  id: string;
  name: string;
  email: string;
  role: (typeof ROLES)[number];
  level: MemberLevel;
  rank: string;
  total_spent: string;
  points_balance: number;
  created_at: Date;
  erased: boolean;
}

/**
 * A page of members, filtered, sorted and paged in SQL, with how many match. An email is matched whole (its
 * unique index), never by a part, so a search cannot spell out masked addresses.
 */
export async function memberList(
  db: Db,
  viewer: UserRow,
  query: MemberQuery,
): Promise<{ total: number; rows: MemberListRow[] }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.q) {
    const exact = param(query.q);
    where.push(
      `(name ILIKE ${param(likeContains(query.q))} OR lower(email) = lower(${exact}) OR id::text = ${exact}
        OR referral_code = upper(${exact}))`,
    );
  }
  if (query.role) where.push(`role = ${param(query.role)}`);
  if (query.level) where.push(`level = ${param(query.level)}`);
  const rows = await db.query<MemberListRow & { total: number }>(
    `SELECT id::text, name, email, role, level, rank, total_spent, points_balance, created_at,
            erased_at IS NOT NULL AS erased, count(*) OVER ()::int AS total
       FROM users ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ${orderByClause(MEMBER_SORT_COLUMNS, query.sort, query.dir, "id")}
      LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`,
    params,
  );
  if (rows.length === 0 && query.offset > 0) {
    // Past the last page: how many there are, for the pager's way back.
    return { total: (await memberList(db, viewer, { ...query, limit: 1, offset: 0 })).total, rows: [] };
  }
  const full = can(staffRoleOf(viewer), "pii.read");
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _, ...r }) => ({ ...r, email: full ? r.email : maskContact(r.email) })),
  };
}
