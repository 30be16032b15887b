import type { Db } from "./db.ts";
import type { UserRow } from "./users_repo.ts";

/** Stores a session under the hash of its token. */
export async function insertSession(db: Db, id: string, userId: string, expiresAt: Date): Promise<void> {
  await db.query("INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3)", [id, userId, expiresAt]);
}

/** The member behind a live session, if any. */
export async function findSessionUser(db: Db, id: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(
    `SELECT u.id, u.email, u.name, u.password_hash, u.role, u.referral_code, u.upline_id, u.level, u.created_at, u.staff_role
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > now()`,
    [id],
  );
  return rows[0];
}

/** Ends a session. */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.query("DELETE FROM sessions WHERE id = $1", [id]);
}

/** Records one failed login (a history for review; throttling counts in `login_throttle`). */
export async function recordLoginFailure(db: Db, email: string, ip: string): Promise<void> {
  await db.query("INSERT INTO login_failures (email, ip) VALUES (lower($1), $2)", [email, ip]);
}
