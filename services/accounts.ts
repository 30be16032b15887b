import { z } from "zod";
import type { Db } from "../db/db.ts";
import {
  ancestorsOf,
  findUserByEmail,
  findUserById,
  findUserByReferralCode,
  insertClosure,
  insertUser,
  managerExists,
  toUser,
  updateUserRole,
  type User,
  type UserRow,
} from "../db/users_repo.ts";
import { deleteSession, findSessionUser, insertSession, recordLoginFailure } from "../db/sessions_repo.ts";
import { appendEvent } from "../db/events_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { keepAnAdmin } from "./members_admin.ts";
import { closureRowsFor, referralCodeFrom } from "../domain/referral.ts";
import { hashPassword, verifyDummy, verifyPassword } from "../lib/password.ts";
import { randomToken, sha256Hex } from "../lib/tokens.ts";
import { AppError, fail } from "../lib/errors.ts";
import { appConfig } from "../fresh.config.ts";
import { recordNewMember } from "./distribution.ts";
import {
  admitAttempt,
  delayAfter,
  delayNext,
  isKnownDevice,
  notifyGuessing,
  refundAttempt,
  throttleKey,
  tooManyAttempts,
} from "./login_throttle.ts";
import { text } from "../lib/text.ts";

/** Registration input, shared by the JSON API and the HTML form. */
export const registerSchema = z.object({
  email: z.email("Enter a valid email address").max(254).transform((v) => v.trim()),
  password: z.string("Password is required").min(8, "Password must be at least 8 characters").max(200),
  name: text("Name is required").trim().min(1, "Name is required").max(60, "Name is at most 60 characters"),
  referralCode: text().trim().max(32).optional().transform((v) => (v ? v : undefined)),
});

/** What registering needs (the validated form of `registerSchema`). */
export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  referralCode?: string;
}

/** Login input. */
export const loginSchema = z.object({
  email: text("Email is required").trim().min(1, "Email is required").max(254),
  password: z.string("Password is required").min(1, "Password is required").max(200),
});

/** Roles a manager can assign. */
export const roleSchema = z.object({ role: z.enum(["shopper", "distributor", "manager"]) });

function newReferralCode(): string {
  return referralCodeFrom(crypto.getRandomValues(new Uint8Array(8)));
}

/** Rooms that a member's lifecycle events go to. */
const MANAGERS_ROOM = "managers";

/**
 * Registers a member, binding them under the referral code's owner for good. Writes the member,
 * the referral closure and a `member_joined` outbox event in one transaction.
 */
export async function register(
  db: Db,
  input: RegisterInput,
  role: UserRow["role"] = "shopper",
): Promise<UserRow> {
  let upline: UserRow | undefined;
  if (input.referralCode) {
    upline = await findUserByReferralCode(db, input.referralCode);
    if (!upline) throw fail.invalid("Unknown referral code", { referralCode: "No member has this referral code" });
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash,
        role,
        referralCode: newReferralCode(),
        uplineId: upline ? String(upline.id) : null,
      });
      if (upline) {
        // A move (`moveMember`) holds SHARE ROW EXCLUSIVE on the closure while it rewrites it: wait for
        // it before reading the upline's ancestors, or the new member is bound under the old chain.
        await tx.query("LOCK TABLE referral_paths IN ROW EXCLUSIVE MODE");
        const uplineAncestors = await ancestorsOf(tx, String(upline.id));
        const closure = closureRowsFor(String(user.id), String(upline.id), uplineAncestors);
        await insertClosure(tx, closure);
        await recordNewMember(tx, closure.map((r) => r.ancestorId), new Date(user.created_at));
      }
      await appendEvent(
        tx,
        "member_joined",
        { memberId: String(user.id), name: user.name, uplineId: upline ? String(upline.id) : null },
        [MANAGERS_ROOM, ...(upline ? [`user:${upline.id}`] : [])],
      );
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err, "users_email_key")) {
      throw fail.conflict("This email is already registered", { email: "This email is already registered" });
    }
    throw err;
  }
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint_name?: string; constraint?: string; message?: string };
  return e?.code === "23505" &&
    (e.constraint_name === constraint || e.constraint === constraint || String(e.message).includes(constraint));
}

/** A new session: the cookie token (given to the client) and its expiry. */
export interface NewSession {
  token: string;
  expiresAt: Date;
}

/** Creates a fresh session for a member (a new id at every login). */
export async function startSession(db: Db, userId: string): Promise<NewSession> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + appConfig.session.ttlDays * 86_400_000);
  await insertSession(db, await sha256Hex(token), userId, expiresAt);
  return { token, expiresAt };
}

/** The member behind a session cookie token. */
export async function sessionUser(db: Db, token: string | undefined): Promise<UserRow | undefined> {
  return (await sessionOf(db, token))?.user;
}

/** A live session behind a cookie token: its id (the token's hash, never the token itself) and its member. */
export async function sessionOf(
  db: Db,
  token: string | undefined,
): Promise<{ id: string; user: UserRow } | undefined> {
  if (!token || token.length > 100) return undefined;
  const id = await sha256Hex(token);
  const user = await findSessionUser(db, id);
  return user ? { id, user } : undefined;
}

/**
 * The live connections opened with a session. `realtime/` implements it over socket.io, so that ending a
 * session also closes its sockets on every instance.
 */
export interface SessionSockets {
  /** Disconnects every socket that signed in with one of these sessions (ids as `sessionOf` gives them). */
  disconnect(sessionIds: string[]): void;
}

/** Ends the session behind a cookie token and closes the sockets that were opened with it. */
export async function endSession(db: Db, token: string | undefined, sockets?: SessionSockets): Promise<void> {
  if (!token) return;
  const id = await sha256Hex(token);
  await deleteSession(db, id);
  sockets?.disconnect([id]);
}

/** Where a login attempt comes from: the client's address and the `did` cookie of its device, if any. */
export interface LoginSource {
  ip: string;
  /** The device cookie's value (a random token; only its hash is stored). */
  device?: string;
}

/**
 * Checks credentials with throttling (`services/login_throttle.ts`): the attempt is counted before the
 * password is checked, and refused (429) without checking when over a limit. A device that signed in
 * to the account before has its own counter, so guessing from elsewhere never locks the member out;
 * from anywhere else the account slows down and then blocks, and the member is told. An IP past its
 * (much higher) threshold may still sign in to accounts that are not under attack.
 */
export async function authenticate(
  db: Db,
  input: z.infer<typeof loginSchema>,
  from: LoginSource | string,
): Promise<UserRow> {
  const source = typeof from === "string" ? { ip: from } : from;
  const policy = appConfig.login;
  const user = await findUserByEmail(db, input.email);
  const deviceHash = source.device ? await sha256Hex(source.device) : undefined;
  const known = user && deviceHash ? await isKnownDevice(db, String(user.id), deviceHash) : false;
  // The account's own spelling of its email: the database folds case in ways JavaScript does not
  // ("İ" is "i" to lower() but "i̇" to toLowerCase()), so the typed spelling would open new counters.
  const email = user ? user.email : input.email;
  const counted: string[] = [];
  let accountAttempts = 0;
  if (known) {
    const key = throttleKey.device(String(user!.id), deviceHash!);
    const admitted = await admitAttempt(db, key, policy.maxFailures, policy.windowMinutes);
    if (!admitted.ok) throw tooManyAttempts(admitted.retryAfterSeconds);
    counted.push(key);
  } else {
    const account = throttleKey.account(email);
    const admitted = await admitAttempt(db, account, policy.maxFailures, policy.windowMinutes);
    if (!admitted.ok) throw tooManyAttempts(admitted.retryAfterSeconds);
    counted.push(account);
    accountAttempts = admitted.attempts;
    const ip = throttleKey.ip(source.ip);
    const byIp = await admitAttempt(db, ip, policy.ipMaxFailures, policy.windowMinutes);
    if (byIp.ok) counted.push(ip);
    else if (accountAttempts - 1 >= policy.suspectFailures) {
      // A busy IP may go on signing in to accounts that are not being guessed, but not to this one.
      await refundAttempt(db, account);
      throw tooManyAttempts(byIp.retryAfterSeconds);
    }
  }
  const ok = user
    ? await verifyPassword(user.password_hash, input.password)
    : (await verifyDummy(input.password), false);
  if (user && ok) {
    for (const key of counted) await refundAttempt(db, key);
    return user;
  }
  await recordLoginFailure(db, input.email, source.ip);
  if (!known) {
    await delayNext(db, throttleKey.account(email), delayAfter(accountAttempts, policy));
    if (user && accountAttempts >= policy.suspectFailures) {
      await notifyGuessing(db, email, String(user.id), accountAttempts);
    }
  }
  throw new AppError("unauthenticated", "Wrong email or password");
}

/** A manager changes a member's role; audited with before/after. */
export async function changeRole(
  db: Db,
  actor: UserRow,
  targetId: string,
  role: UserRow["role"],
  ip: string | null,
  sockets?: SessionSockets,
): Promise<User> {
  const user = await db.transaction(async (tx) => {
    const before = await findUserById(tx, targetId);
    if (!before) throw fail.notFound("Member");
    await keepAnAdmin(tx, targetId, role === "manager");
    const after = await updateUserRole(tx, targetId, role);
    // A new manager starts with the narrowest staff role; leaving management clears it.
    await tx.query(
      "UPDATE users SET staff_role = CASE WHEN role = 'manager' THEN coalesce(staff_role, 'support') ELSE NULL END WHERE id = $1",
      [targetId],
    );
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "user.role_change",
      target: `user:${targetId}`,
      ip,
      before: { role: before.role },
      after: { role },
    });
    return toUser(after!);
  });
  // Open sockets keep the rooms of the old role (a demoted manager would still hear shop-wide
  // events): close them on every instance; pages opened from now on connect with the new role.
  if (sockets) {
    const sessions = await db.query<{ id: string }>("SELECT id FROM sessions WHERE user_id = $1", [targetId]);
    sockets.disconnect(sessions.map((r) => r.id));
  }
  return user;
}

/**
 * Creates the first manager when none exists. Returns the password when it was generated,
 * so the caller can print it once.
 */
export async function ensureManager(db: Db, email: string, password: string | undefined) {
  if (await managerExists(db)) return { created: false as const };
  const chosen = password ?? randomToken(12);
  const existing = await findUserByEmail(db, email);
  if (existing) {
    await updateUserRole(db, String(existing.id), "manager");
    return { created: true as const, email, password: undefined };
  }
  await register(db, { email, password: chosen, name: "Admin" }, "manager");
  return { created: true as const, email, password: password ? undefined : chosen };
}

/** How recent a password entry must be for sensitive manager actions. */
export const REAUTH_MINUTES = 15;

/** Whether the session's password was entered within the last `REAUTH_MINUTES`. */
export async function recentlyAuthenticated(db: Db, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const rows = await db.query(
    "SELECT 1 FROM sessions WHERE id = $1 AND reauth_at > now() - make_interval(mins => $2)",
    [await sha256Hex(token), REAUTH_MINUTES],
  );
  return rows.length > 0;
}

/**
 * Re-enters the password for the current session (sudo mode for sensitive actions). Counted per
 * session, apart from sign-in attempts, so guessing at the account from elsewhere never blocks it.
 */
export async function reauthenticate(db: Db, token: string | undefined, user: UserRow, password: string, ip: string) {
  if (!token) throw fail.unauthenticated();
  const sessionId = await sha256Hex(token);
  const key = throttleKey.reauth(sessionId);
  const { maxFailures, windowMinutes } = appConfig.login;
  const admitted = await admitAttempt(db, key, maxFailures, windowMinutes);
  if (!admitted.ok) throw tooManyAttempts(admitted.retryAfterSeconds);
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordLoginFailure(db, user.email, ip);
    throw new AppError("unauthenticated", "Wrong password", { password: "Wrong password" });
  }
  await refundAttempt(db, key);
  await db.query("UPDATE sessions SET reauth_at = now() WHERE id = $1", [sessionId]);
}
