import type { Db } from "./db.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";

/** A member as stored. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: "shopper" | "distributor" | "manager";
  referral_code: string;
  upline_id: string | null;
  level: "ordinary" | "silver" | "gold" | "diamond";
  created_at: Date;
  staff_role?: "admin" | "finance" | "operations" | "support" | null;
}

/** The public shape of a member in the API. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRow["role"];
  referralCode: string;
  uplineId: string | null;
  level: UserRow["level"];
  createdAt: string;
}

/** Maps a row to the API's `user`. */
export function toUser(row: UserRow): User {
  return {
    id: String(row.id),
    email: row.email,
    name: row.name,
    role: row.role,
    referralCode: row.referral_code,
    uplineId: row.upline_id === null ? null : String(row.upline_id),
    level: row.level,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const COLUMNS = "id, email, name, password_hash, role, referral_code, upline_id, level, created_at, staff_role";

/** Finds a member by email, case-insensitively. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
  return rows[0];
}

/** Finds a member by id. */
export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

/** Finds a member by referral code, case-insensitively. */
export async function findUserByReferralCode(db: Db, code: string): Promise<UserRow | undefined> {
  // Only letters, digits and dashes can be a code; anything else (NUL, odd Unicode) finds nobody.
  if (!/^[\w-]{1,32}$/.test(code)) return undefined;
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE referral_code = upper($1)`, [code]);
  return rows[0];
}

/** Inserts a member and returns it. */
export async function insertUser(
  db: Db,
  user: {
    email: string;
    name: string;
    passwordHash: string;
    role: UserRow["role"];
    referralCode: string;
    uplineId: string | null;
  },
): Promise<UserRow> {
  const rows = await db.query<UserRow>(
    `INSERT INTO users (email, name, password_hash, role, referral_code, upline_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [user.email, user.name, user.passwordHash, user.role, user.referralCode, user.uplineId],
  );
  return rows[0];
}

/** The ancestors of a member, nearest first (at most three). */
export async function ancestorsOf(db: Db, memberId: string): Promise<string[]> {
  const rows = await db.query<{ ancestor_id: string }>(
    "SELECT ancestor_id FROM referral_paths WHERE descendant_id = $1 ORDER BY depth",
    [memberId],
  );
  return rows.map((r) => String(r.ancestor_id));
}

/** Inserts closure rows. */
export async function insertClosure(db: Db, rows: { ancestorId: string; descendantId: string; depth: number }[]) {
  if (!rows.length) return;
  const values = rows.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(", ");
  await db.query(
    `INSERT INTO referral_paths (ancestor_id, descendant_id, depth) VALUES ${values}`,
    rows.flatMap((r) => [r.ancestorId, r.descendantId, r.depth]),
  );
}

/** Sets a member's role, returning the updated row. */
export async function updateUserRole(db: Db, id: string, role: UserRow["role"]): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`UPDATE users SET role = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, role]);
  return rows[0];
}

/** Whether any manager exists. */
export async function managerExists(db: Db): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM users WHERE role = 'manager' LIMIT 1");
  return rows.length > 0;
}

/** Members registered since `since`, and the newest few. */
export async function memberStats(db: Db, since: Date, newest = 8) {
  const [count] = await db.query<{ today: number; total: number }>(
    "SELECT count(*) FILTER (WHERE created_at >= $1)::int AS today, count(*)::int AS total FROM users",
    [since],
  );
  const latest = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users ORDER BY created_at DESC, id DESC LIMIT $1`,
    [newest],
  );
  return { today: count.today, total: count.total, newest: latest };
}

/** A member's phone and ID number, opened. */
export interface PersonalData {
  phone: string | null;
  idNumber: string | null;
}

/** Seals and stores a member's phone (null removes it) with its look-up hash. */
export async function setPhone(db: Db, box: CryptoBox, userId: string, phone: string | null): Promise<void> {
  await db.query("UPDATE users SET phone = NULL, phone_enc = $2, phone_hash = $3 WHERE id = $1", [
    userId,
    phone === null ? null : box.seal(phone),
    phone === null ? null : box.lookupHash("phone", phone),
  ]);
}

/** Seals and stores a member's ID number (null removes it). */
export async function setIdNumber(db: Db, box: CryptoBox, userId: string, idNumber: string | null): Promise<void> {
  await db.query("UPDATE users SET id_number_enc = $2 WHERE id = $1", [
    userId,
    idNumber === null ? null : box.seal(idNumber),
  ]);
}

/** A member's phone and ID number, opened (a phone from before 0018 may still be in clear until sealed). */
export async function personalDataOf(db: Db, box: CryptoBox, userId: string): Promise<PersonalData> {
  const [row] = await db.query<{ phone: string | null; phone_enc: string | null; id_number_enc: string | null }>(
    "SELECT phone, phone_enc, id_number_enc FROM users WHERE id = $1",
    [userId],
  );
  if (!row) return { phone: null, idNumber: null };
  return {
    phone: row.phone_enc ? box.open(row.phone_enc) : row.phone,
    idNumber: row.id_number_enc ? box.open(row.id_number_enc) : null,
  };
}

/** Members whose phone is this one (compared as digits), through the keyed look-up hash under every key. */
export async function findUserIdsByPhone(db: Db, box: CryptoBox, phone: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM users
      WHERE erased_at IS NULL
        AND (phone_hash = ANY($1::text[]) OR (phone IS NOT NULL AND regexp_replace(phone, '\\D', '', 'g') = $2))
      ORDER BY id LIMIT 20`,
    [box.lookupHashes("phone", phone), phone.replace(/\D/g, "")],
  );
  return rows.map((r) => String(r.id));
}
