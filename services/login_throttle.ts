/**
 * Login throttling as trusted systems do it. Every password check is counted in the database BEFORE it
 * runs (one atomic upsert on a counter row, so concurrent guesses on any number of instances cannot
 * pass the limit), and refunded when the password was right:
 *
 * - per account, only for requests from devices that never signed in to it: free tries, then a
 *   progressive delay, then a block until the window ends; the member is told once per window;
 * - per known device (the `did` cookie of an earlier sign-in) and per session's password re-entry, a
 *   counter of their own, so guessing from elsewhere never locks the member out;
 * - per IP, a much higher threshold; past it the IP may still sign in to accounts not under attack, so
 *   members behind one carrier NAT are not locked out by someone else's guessing.
 */
import type { Db } from "../db/db.ts";
import { appConfig } from "../fresh.config.ts";
import { AppError } from "../lib/errors.ts";
import { storedMessage } from "../i18n/messages.ts";

/** What a throttle key's counter allows. */
type Admission = { ok: true; attempts: number } | { ok: false; retryAfterSeconds: number };

/** The tunables (`appConfig.login`). */
export type LoginPolicy = typeof appConfig.login;

/** Counter keys. Emails are matched case-insensitively, like the accounts themselves. */
export const throttleKey = {
  account: (email: string) => `account:${email.trim().toLowerCase()}`,
  ip: (ip: string) => `ip:${ip}`,
  device: (userId: string, deviceHash: string) => `device:${userId}:${deviceHash}`,
  reauth: (sessionId: string) => `reauth:${sessionId}`,
};

/**
 * Counts one attempt on `key` unless it is over `limit` in the current window or inside its delay:
 * one statement, so the count and the check cannot be raced.
 */
export async function admitAttempt(db: Db, key: string, limit: number, windowMinutes: number): Promise<Admission> {
  const expired = "t.window_start <= now() - make_interval(mins => $3)";
  const [row] = await db.query<{ attempts: number }>(
    `INSERT INTO login_throttle AS t (key, attempts, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       attempts = CASE WHEN ${expired} THEN 1 ELSE t.attempts + 1 END,
       window_start = CASE WHEN ${expired} THEN now() ELSE t.window_start END,
       not_before = CASE WHEN ${expired} THEN NULL ELSE t.not_before END,
       notified_at = CASE WHEN ${expired} THEN NULL ELSE t.notified_at END
     WHERE ${expired} OR (t.attempts < $2 AND (t.not_before IS NULL OR t.not_before <= now()))
     RETURNING attempts`,
    [key, limit, windowMinutes],
  );
  if (row) return { ok: true, attempts: row.attempts };
  const [wait] = await db.query<{ seconds: number }>(
    `SELECT ceil(extract(epoch FROM CASE WHEN attempts >= $2 THEN window_start + make_interval(mins => $3)
                                         ELSE not_before END - now()))::int AS seconds
       FROM login_throttle WHERE key = $1`,
    [key, limit, windowMinutes],
  );
  return { ok: false, retryAfterSeconds: Math.max(1, wait?.seconds ?? 1) };
}

/** Gives back an attempt that turned out to be the right password (it was no guess). */
export async function refundAttempt(db: Db, key: string): Promise<void> {
  await db.query("UPDATE login_throttle SET attempts = greatest(attempts - 1, 0) WHERE key = $1", [key]);
}

/** The wait before the next check after `failures` failures: none up to the suspect threshold, then doubling. */
export function delayAfter(failures: number, policy: LoginPolicy = appConfig.login): number {
  if (failures < policy.suspectFailures) return 0;
  return Math.min(2 ** (failures - policy.suspectFailures), policy.maxDelaySeconds);
}

/** Makes the next attempt on `key` wait `seconds` (progressive delay). */
export async function delayNext(db: Db, key: string, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  await db.query(
    "UPDATE login_throttle SET not_before = greatest(coalesce(not_before, now()), now() + make_interval(secs => $2)) WHERE key = $1",
    [key, seconds],
  );
}

/** Whether a device (the hash of its `did` cookie) signed in to this account before. */
export async function isKnownDevice(db: Db, userId: string, deviceHash: string): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM known_devices WHERE user_id = $1 AND device_hash = $2", [
    userId,
    deviceHash,
  ]);
  return rows.length > 0;
}

/** Remembers that a device signed in to this account. */
export async function rememberDevice(db: Db, userId: string, deviceHash: string): Promise<void> {
  await db.query(
    `INSERT INTO known_devices (user_id, device_hash) VALUES ($1, $2)
     ON CONFLICT (user_id, device_hash) DO UPDATE SET last_seen_at = now()`,
    [userId, deviceHash],
  );
}

/**
 * Tells the member, once per window, that someone is guessing their password (an important
 * notification). Returns whether this call sent it.
 */
export async function notifyGuessing(db: Db, email: string, userId: string, failures: number): Promise<boolean> {
  const marked = await db.query(
    `UPDATE login_throttle SET notified_at = now()
      WHERE key = $1 AND (notified_at IS NULL OR notified_at < window_start) RETURNING 1`,
    [throttleKey.account(email)],
  );
  if (!marked.length) return false;
  const minutes = appConfig.login.windowMinutes;
  await db.query(
    "INSERT INTO notifications (user_id, kind, priority, title, body) VALUES ($1, 'login_guessing', 'important', $2, $3)",
    [
      userId,
      storedMessage("notify.login_guessing.title"),
      storedMessage("notify.login_guessing.body", { minutes, failures }),
    ],
  );
  return true;
}

/** The 429 of a refused attempt. */
export function tooManyAttempts(retryAfterSeconds: number): AppError {
  const wait = retryAfterSeconds >= 90
    ? `${Math.ceil(retryAfterSeconds / 60)} minutes`
    : `${retryAfterSeconds} seconds`;
  return new AppError("rate_limited", `Too many failed logins; try again in ${wait}`);
}

/** Deletes counters whose window ended long ago (housekeeping; any instance may run it). */
export async function pruneThrottle(db: Db, policy: LoginPolicy = appConfig.login): Promise<void> {
  await db.query("DELETE FROM login_throttle WHERE window_start < now() - make_interval(mins => $1)", [
    policy.windowMinutes * 4,
  ]);
}
