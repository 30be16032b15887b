import assert from "node:assert/strict";
import { CryptoBox } from "../lib/crypto_box.ts";
import { createTestApp, DATABASE_URL, TestClient } from "./helpers.ts";
import { createApp, loadAppRoutes } from "../app.tsx";
import { createLogger } from "../lib/log.ts";
import { buildIslands } from "../lib/islands_build.ts";
import { loadStaticAssets } from "../lib/static_files.ts";
import { appConfig } from "../fresh.config.ts";
import type { ServeEnv } from "../lib/proxy.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const PASSWORD = "password-123";

// The in-process client has no socket, so every request comes from one IP ("local"). To test the
// per-account and per-IP login throttles apart, a second app over the same database is called with
// the server environment (`ServeEnv`) that `clientIp` reads, so each client can come from its own address.
const [islands, assets] = await Promise.all([buildIslands(), loadStaticAssets()]);
const sameDbApp = createApp({
  db: app.db,
  settings: app.settings,
  log: createLogger("silent"),
  islands,
  assets,
  shop: app.shop,
  box: CryptoBox.fromSettings(app.settings),
}, await loadAppRoutes());
function clientFromIp(ip: string): TestClient {
  const env: ServeEnv = { remoteAddr: { hostname: ip } };
  return new TestClient(async (req) => await sameDbApp.fetch(req, env), "http://localhost");
}

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type UserBody = { user: Record<string, unknown> };

function assertError(
  res: { status: number; body: unknown },
  status: number,
  code: string,
  fields: string[] = [],
) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const body = res.body as ApiError;
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  for (const f of fields) {
    assert.equal(typeof body.error.fields?.[f], "string", `fields.${f} missing in ${JSON.stringify(body)}`);
  }
}

async function userCount(email: string): Promise<number> {
  const [row] = await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)",
    [
      email,
    ],
  );
  return row.n;
}

function sidOf(res: { headers: Headers }): string | undefined {
  const line = res.headers.getSetCookie().find((l) => l.startsWith("sid="));
  return line?.split(";")[0].slice("sid=".length);
}

Deno.test("POST /api/auth/register creates a member, signs them in and GET /api/me returns them", opts, async () => {
  const c = app.client();
  const res = await c.json<{ user: Record<string, unknown> }>("POST", "/api/auth/register", {
    json: { email: "ann@example.com", password: "password-123", name: "Ann" },
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.user.email, "ann@example.com");
  assert.equal(res.body.user.role, "shopper");
  assert.equal(res.body.user.uplineId, null);
  assert.match(String(res.body.user.referralCode), /^[A-Z2-9]{8}$/);
  const cookie = res.headers.getSetCookie().find((l) => l.startsWith("sid="))!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  const me = await c.json<{ user: { id: string } }>("GET", "/api/me");
  assert.equal(me.status, 200);
  assert.equal(me.body.user.id, res.body.user.id);
});

Deno.test("GET /healthz answers 200 with status ok and the database kind", opts, async () => {
  const res = await app.client().json<{ status: string; db: string }>("GET", "/healthz");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.deepEqual(res.body, { status: "ok", db: DATABASE_URL ? "postgres" : "pglite" });
});

Deno.test(
  "POST /api/auth/register answers with the contract's user shape and never the password hash",
  opts,
  async () => {
    const c = app.client();
    const res = await c.json<UserBody>("POST", "/api/auth/register", {
      json: { email: "shape@example.com", password: PASSWORD, name: "  Shape  " },
    });
    assert.equal(res.status, 201);
    const u = res.body.user;
    for (const key of ["id", "email", "name", "role", "referralCode", "uplineId", "level"]) {
      assert.ok(key in u, `user.${key} missing`);
    }
    assert.equal(typeof u.id, "string");
    assert.match(String(u.id), /^\d+$/);
    assert.equal(u.name, "Shape");
    assert.equal(u.level, "ordinary");
    assert.ok(["shopper", "distributor", "manager"].includes(String(u.role)));
    const text = JSON.stringify(res.body);
    assert.doesNotMatch(text, /password|hash|argon/i);
    const me = await c.json<UserBody>("GET", "/api/me");
    assert.deepEqual(me.body.user, u);
  },
);

Deno.test("POST /api/auth/register answers 400 invalid_input with fields.body for malformed JSON", opts, async () => {
  const c = app.client();
  const res = await c.json("POST", "/api/auth/register", {
    body: '{"email": "bad@example.com", "password": ',
    headers: { "content-type": "application/json" },
  });
  assertError(res, 400, "invalid_input", ["body"]);
  assert.equal(await userCount("bad@example.com"), 0);
  assert.equal(sidOf(res), undefined);
});

Deno.test(
  "POST /api/auth/register answers 400 with fields.email, fields.password and fields.name when they are missing",
  opts,
  async () => {
    const res = await app.client().json("POST", "/api/auth/register", { json: {} });
    assertError(res, 400, "invalid_input", ["email", "password", "name"]);
    const empty = await app.client().json("POST", "/api/auth/register", {
      body: "",
      headers: { "content-type": "application/json" },
    });
    assertError(empty, 400, "invalid_input", ["email", "password", "name"]);
  },
);

Deno.test("POST /api/auth/register answers 400 with a field per wrong type", opts, async () => {
  const res = await app.client().json("POST", "/api/auth/register", {
    json: { email: 42, password: true, name: ["x"], referralCode: 7 },
  });
  assertError(res, 400, "invalid_input", ["email", "password", "name", "referralCode"]);
  for (const body of [[], "just a string", 12, null]) {
    const r = await app.client().json("POST", "/api/auth/register", { json: body });
    assert.equal(r.status, 400, `body ${JSON.stringify(body)} gave ${r.status}`);
    assert.equal((r.body as ApiError).error.code, "invalid_input");
    assert.ok(Object.keys((r.body as ApiError).error.fields ?? {}).length > 0);
  }
});

Deno.test(
  "POST /api/auth/register answers 400 with fields for an invalid email, a short password and a long name",
  opts,
  async () => {
    const c = app.client();
    const badEmail = await c.json("POST", "/api/auth/register", {
      json: { email: "not-an-email", password: PASSWORD, name: "X" },
    });
    assertError(badEmail, 400, "invalid_input", ["email"]);
    const shortPw = await c.json("POST", "/api/auth/register", {
      json: { email: "short@example.com", password: "1234567", name: "X" },
    });
    assertError(shortPw, 400, "invalid_input", ["password"]);
    const longName = await c.json("POST", "/api/auth/register", {
      json: { email: "long@example.com", password: PASSWORD, name: "x".repeat(61) },
    });
    assertError(longName, 400, "invalid_input", ["name"]);
    const blankName = await c.json("POST", "/api/auth/register", {
      json: { email: "blank@example.com", password: PASSWORD, name: "   " },
    });
    assertError(blankName, 400, "invalid_input", ["name"]);
    for (const e of ["short@example.com", "long@example.com", "blank@example.com"]) assert.equal(await userCount(e), 0);
  },
);

Deno.test(
  "POST /api/auth/register answers 413 with fields for a body over 64 KiB and creates nobody",
  opts,
  async () => {
    const c = app.client();
    const res = await c.json("POST", "/api/auth/register", {
      json: { email: "big@example.com", password: PASSWORD, name: "Big", padding: "x".repeat(65 * 1024) },
    });
    assertError(res, 413, "payload_too_large");
    assert.ok(Object.keys((res.body as ApiError).error.fields ?? {}).length > 0, "fields expected");
    assert.equal(await userCount("big@example.com"), 0);
    // A declared Content-Length over the limit is refused as well.
    const declared = await c.json("POST", "/api/auth/register", {
      body: JSON.stringify({ email: "big2@example.com", password: PASSWORD, name: "Big", pad: "y".repeat(70_000) }),
      headers: { "content-type": "application/json", "content-length": "70100" },
    });
    assertError(declared, 413, "payload_too_large");
    assert.ok(Object.keys((declared.body as ApiError).error.fields ?? {}).length > 0, "fields expected");
    assert.equal(await userCount("big2@example.com"), 0);
  },
);

Deno.test(
  "POST /api/auth/register answers 409 conflict for a duplicate email, also when only the case differs",
  opts,
  async () => {
    await app.client().register("dup@example.com", "Dup");
    const same = await app.client().json("POST", "/api/auth/register", {
      json: { email: "dup@example.com", password: PASSWORD, name: "Dup 2" },
    });
    assertError(same, 409, "conflict");
    assert.equal(sidOf(same), undefined);
    const upper = await app.client().json("POST", "/api/auth/register", {
      json: { email: "DUP@Example.COM", password: PASSWORD, name: "Dup 3" },
    });
    assertError(upper, 409, "conflict");
    assert.equal(await userCount("dup@example.com"), 1);
  },
);

Deno.test(
  "POST /api/auth/register run concurrently for one email creates one member: one 201, the others 409",
  opts,
  async () => {
    const results = await Promise.all(
      ["race@example.com", "RACE@example.com", "Race@Example.com", "race@example.com"].map((email) =>
        app.client().json("POST", "/api/auth/register", { json: { email, password: PASSWORD, name: "Race" } })
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
    for (const r of results.filter((r) => r.status === 409)) assertError(r, 409, "conflict");
    assert.equal(await userCount("race@example.com"), 1);
  },
);

Deno.test(
  "POST /api/auth/register answers 400 with fields.referralCode for an unknown referral code and creates nobody",
  opts,
  async () => {
    const c = app.client();
    const res = await c.json("POST", "/api/auth/register", {
      json: { email: "noref@example.com", password: PASSWORD, name: "No Ref", referralCode: "ZZZZZZZZ" },
    });
    assertError(res, 400, "invalid_input", ["referralCode"]);
    assert.equal(await userCount("noref@example.com"), 0);
    const garbage = await c.json("POST", "/api/auth/register", {
      json: { email: "noref@example.com", password: PASSWORD, name: "No Ref", referralCode: "'; DROP TABLE users;--" },
    });
    assertError(garbage, 400, "invalid_input", ["referralCode"]);
    assert.equal(await userCount("noref@example.com"), 0);
  },
);

Deno.test("POST /api/auth/register with a referral code binds uplineId to the code's owner", opts, async () => {
  const parent = await app.client().register("parent@example.com", "Parent");
  const child = app.client();
  const res = await child.json<UserBody>("POST", "/api/auth/register", {
    json: { email: "child@example.com", password: PASSWORD, name: "Child", referralCode: parent.referralCode },
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.user.uplineId, parent.id);
  const me = await child.json<UserBody>("GET", "/api/me");
  assert.equal(me.body.user.uplineId, parent.id);
  // The code is matched case-insensitively, and the binding extends the chain.
  const grandchild = await app.client().json<UserBody>("POST", "/api/auth/register", {
    json: {
      email: "grandchild@example.com",
      password: PASSWORD,
      name: "Grandchild",
      referralCode: String(res.body.user.referralCode).toLowerCase(),
    },
  });
  assert.equal(grandchild.status, 201);
  assert.equal(grandchild.body.user.uplineId, res.body.user.id);
  const paths = await app.db.query<{ ancestor_id: string; depth: number }>(
    "SELECT ancestor_id, depth FROM referral_paths WHERE descendant_id = $1 ORDER BY depth",
    [grandchild.body.user.id],
  );
  assert.deepEqual(paths.map((p) => [String(p.ancestor_id), Number(p.depth)]), [[res.body.user.id, 1], [parent.id, 2]]);
});

Deno.test("POST /api/auth/register with a foreign Origin answers 403 forbidden and creates nobody", opts, async () => {
  const res = await app.client().json("POST", "/api/auth/register", {
    json: { email: "csrf@example.com", password: PASSWORD, name: "Csrf" },
    headers: { origin: "https://evil.example" },
  });
  assertError(res, 403, "forbidden");
  assert.equal(sidOf(res), undefined);
  assert.equal(await userCount("csrf@example.com"), 0);
  const nullOrigin = await app.client().json("POST", "/api/auth/register", {
    json: { email: "csrf@example.com", password: PASSWORD, name: "Csrf" },
    headers: { origin: "null" },
  });
  assertError(nullOrigin, 403, "forbidden");
  assert.equal(await userCount("csrf@example.com"), 0);
});

Deno.test(
  "POST /api/auth/login answers 200 with the user and a session cookie, matching the email case-insensitively",
  opts,
  async () => {
    const reg = await app.client().register("login@example.com", "Login");
    const c = app.client();
    const res = await c.login("LOGIN@example.com", PASSWORD);
    assert.equal(res.status, 200);
    assert.equal(res.body.user.id, reg.id);
    assert.equal(res.body.user.email, "login@example.com");
    assert.ok(sidOf(res));
    const me = await c.json<UserBody>("GET", "/api/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.user.id, reg.id);
  },
);

Deno.test(
  "POST /api/auth/login answers 401 unauthenticated for a wrong password or an unknown email, without a cookie",
  opts,
  async () => {
    await app.client().register("wrongpw@example.com", "Wrong");
    const c = app.client();
    const wrong = await c.login("wrongpw@example.com", "not-the-password");
    assertError(wrong, 401, "unauthenticated");
    assert.equal(sidOf(wrong), undefined);
    const unknown = await c.login("nobody@example.com", PASSWORD);
    assertError(unknown, 401, "unauthenticated");
    assert.equal(
      (unknown.body as unknown as ApiError).error.message,
      (wrong.body as unknown as ApiError).error.message,
      "the two failures must look the same",
    );
    assertError(await c.json("GET", "/api/me"), 401, "unauthenticated");
  },
);

Deno.test(
  "POST /api/auth/login answers 400 with fields for malformed JSON, missing fields and wrong types (413 when too large)",
  opts,
  async () => {
    const c = app.client();
    const bad = await c.json("POST", "/api/auth/login", {
      body: "{nope",
      headers: { "content-type": "application/json" },
    });
    assertError(bad, 400, "invalid_input", ["body"]);
    assertError(await c.json("POST", "/api/auth/login", { json: {} }), 400, "invalid_input", ["email", "password"]);
    assertError(
      await c.json("POST", "/api/auth/login", { json: { email: 1, password: { a: 1 } } }),
      400,
      "invalid_input",
      ["email", "password"],
    );
    const big = await c.json("POST", "/api/auth/login", {
      json: { email: "x@example.com", password: "y".repeat(70 * 1024) },
    });
    assertError(big, 413, "payload_too_large");
    assert.ok(Object.keys((big.body as ApiError).error.fields ?? {}).length > 0, "fields expected");
  },
);

Deno.test("POST /api/auth/login issues a new session id and the previous one stops working", opts, async () => {
  const c = app.client();
  const reg = await c.json<UserBody>("POST", "/api/auth/register", {
    json: { email: "rotate@example.com", password: PASSWORD, name: "Rotate" },
  });
  const first = sidOf(reg)!;
  assert.ok(first);
  const login = await c.login("rotate@example.com", PASSWORD);
  assert.equal(login.status, 200);
  const second = sidOf(login)!;
  assert.ok(second);
  assert.notEqual(second, first);
  assert.equal(c.cookies.get("sid"), second);
  assert.equal((await c.json("GET", "/api/me")).status, 200);
  const old = await app.client().json("GET", "/api/me", { headers: { cookie: `sid=${first}` } });
  assertError(old, 401, "unauthenticated");
  // A second login from a fresh client gets yet another id; both live sessions work.
  const other = app.client();
  const third = sidOf(await other.login("rotate@example.com", PASSWORD))!;
  assert.ok(third && third !== second);
  assert.equal((await other.json("GET", "/api/me")).status, 200);
  assert.equal((await c.json("GET", "/api/me")).status, 200);
});

Deno.test("POST /api/auth/login with a foreign Origin answers 403 forbidden and sets no session", opts, async () => {
  await app.client().register("originlogin@example.com", "Origin");
  const c = app.client();
  const res = await c.json("POST", "/api/auth/login", {
    json: { email: "originlogin@example.com", password: PASSWORD },
    headers: { origin: "http://localhost.evil.example" },
  });
  assertError(res, 403, "forbidden");
  assert.equal(sidOf(res), undefined);
  assertError(await c.json("GET", "/api/me"), 401, "unauthenticated");
});

Deno.test("POST /api/auth/logout answers 204 and the old cookie no longer works for GET /api/me", opts, async () => {
  const c = app.client();
  await c.register("logout@example.com", "Logout");
  const sid = c.cookies.get("sid")!;
  assert.equal((await c.json("GET", "/api/me")).status, 200);
  const res = await c.request("POST", "/api/auth/logout");
  assert.equal(res.status, 204);
  assert.equal(await res.text(), "");
  const cleared = res.headers.getSetCookie().find((l) => l.startsWith("sid="));
  assert.ok(cleared, "logout clears the sid cookie");
  assert.match(cleared!, /max-age=0|expires=Thu, 01 Jan 1970/i);
  assert.equal(c.cookies.has("sid"), false);
  const replay = await app.client().json("GET", "/api/me", { headers: { cookie: `sid=${sid}` } });
  assertError(replay, 401, "unauthenticated");
  // Logging in again works and gives a different id.
  const again = await c.login("logout@example.com", PASSWORD);
  assert.equal(again.status, 200);
  assert.notEqual(sidOf(again), sid);
});

Deno.test("POST /api/auth/logout without a session answers 204", opts, async () => {
  const res = await app.client().request("POST", "/api/auth/logout");
  assert.equal(res.status, 204);
});

Deno.test(
  "POST /api/auth/logout with a foreign Origin answers 403 forbidden and the session stays alive",
  opts,
  async () => {
    const c = app.client();
    await c.register("logoutcsrf@example.com", "Logout Csrf");
    const res = await c.json("POST", "/api/auth/logout", { headers: { origin: "https://evil.example" } });
    assertError(res, 403, "forbidden");
    assert.equal((await c.json("GET", "/api/me")).status, 200);
  },
);

Deno.test("GET /api/me answers 401 unauthenticated without a session or with an unknown cookie", opts, async () => {
  assertError(await app.client().json("GET", "/api/me"), 401, "unauthenticated");
  assertError(
    await app.client().json("GET", "/api/me", { headers: { cookie: "sid=not-a-real-session" } }),
    401,
    "unauthenticated",
  );
  assertError(
    await app.client().json("GET", "/api/me", { headers: { cookie: `sid=${"a".repeat(500)}` } }),
    401,
    "unauthenticated",
  );
});

/** Fires `n` logins at once, each from its own new device and address; returns the statuses. */
async function loginsAtOnce(email: string, n: number, password = (i: number) => `wrong-${i}`, net = "192.0.2") {
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => clientFromIp(`${net}.${(i % 250) + 1}`).login(email, password(i))),
  );
  return results.map((r) => r.status);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

async function notificationsOf(email: string, kind: string): Promise<number> {
  const [row] = await app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = $2",
    [email, kind],
  );
  return row.n;
}

Deno.test(
  "POST /api/auth/login counts before checking: of 60 concurrent wrong passwords for one account at most 10 are checked",
  opts,
  async () => {
    await app.client().register("burst@example.com", "Burst");
    const statuses = await loginsAtOnce("burst@example.com", 60);
    assert.ok(count(statuses, 401) <= 10, `${count(statuses, 401)} passwords were checked`);
    assert.equal(count(statuses, 401) + count(statuses, 429), 60, JSON.stringify(statuses));
    // The block holds for the right password too, from a device that never signed in.
    const right = await clientFromIp("192.0.2.251").login("burst@example.com", PASSWORD);
    assertError(right, 429, "rate_limited");
    assert.equal(sidOf(right), undefined);
    // An unknown email is throttled the same way (nothing tells which accounts exist).
    const ghost = await loginsAtOnce("ghost@example.com", 30);
    assert.ok(count(ghost, 401) <= 10 && count(ghost, 429) >= 20, JSON.stringify(ghost));
  },
);

Deno.test(
  "POST /api/auth/login slows an account down after 5 failures (429 until the delay passes) and tells the member once",
  opts,
  async () => {
    await app.client().register("slow@example.com", "Slow");
    for (let i = 0; i < 5; i++) {
      assertError(
        await clientFromIp(`198.51.100.${i + 1}`).login("slow@example.com", `bad-${i}`),
        401,
        "unauthenticated",
      );
    }
    assert.equal(await notificationsOf("slow@example.com", "login_guessing"), 1, "the member is told");
    const early = await clientFromIp("198.51.100.9").login("slow@example.com", "bad-5");
    assertError(early, 429, "rate_limited");
    assert.match((early.body as unknown as ApiError).error.message, /try again in \d+ seconds/);
    await new Promise((r) => setTimeout(r, 1200));
    assertError(await clientFromIp("198.51.100.10").login("slow@example.com", "bad-6"), 401, "unauthenticated");
    assertError(await clientFromIp("198.51.100.11").login("slow@example.com", "bad-7"), 429, "rate_limited");
    assert.equal(await notificationsOf("slow@example.com", "login_guessing"), 1, "once per window");
  },
);

Deno.test(
  "a device that signed in before still signs in while the account is blocked for everyone else",
  opts,
  async () => {
    const phone = clientFromIp("203.0.113.10");
    await phone.json("POST", "/api/auth/register", {
      json: { email: "known@example.com", password: PASSWORD, name: "Known" },
    });
    assert.ok(phone.cookies.get("did"), "a device cookie is set at sign-in");
    assert.equal((await phone.request("POST", "/api/auth/logout")).status, 204);
    const statuses = await loginsAtOnce("known@example.com", 40, undefined, "198.18.0");
    assert.ok(count(statuses, 429) >= 30, JSON.stringify(statuses));
    assertError(await clientFromIp("198.18.1.1").login("known@example.com", PASSWORD), 429, "rate_limited");
    // The member's own phone (any network) is not slowed down.
    const back = await phone.login("known@example.com", PASSWORD);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    // A device cookie of another account does not help.
    const other = clientFromIp("203.0.113.11");
    await other.register("other-device@example.com", "Other");
    assertError(await other.login("known@example.com", PASSWORD), 429, "rate_limited");
  },
);

Deno.test(
  "10 failures from one IP (shared carrier NAT) do not stop a correct login to another account from that IP",
  opts,
  async () => {
    await app.client().register("nat-member@example.com", "Nat");
    const nat = "100.64.0.1";
    for (let i = 0; i < 12; i++) {
      assertError(await clientFromIp(nat).login(`nat-guess-${i}@example.com`, "guess-123"), 401, "unauthenticated");
    }
    const res = await clientFromIp(nat).login("nat-member@example.com", PASSWORD);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  },
);

Deno.test(
  "past the IP's much higher threshold, that IP may only try accounts that are not under attack",
  opts,
  async () => {
    const { ipMaxFailures, suspectFailures } = appConfig.login;
    const accounts = Array.from({ length: ipMaxFailures / suspectFailures }, (_, i) => `sprayed-${i}@example.com`);
    for (const email of [...accounts, "clean-a@example.com", "clean-b@example.com"]) {
      await app.client().register(email, "Sprayed");
    }
    const attacker = "100.64.9.9";
    await Promise.all(accounts.map(async (email) => {
      for (let i = 0; i < suspectFailures; i++) {
        assertError(await clientFromIp(attacker).login(email, `spray-${i}`), 401, "unauthenticated");
      }
    }));
    await new Promise((r) => setTimeout(r, 1100)); // past the first delay
    // An account under attack: refused from that IP even with the right password, fine from elsewhere.
    assertError(await clientFromIp(attacker).login(accounts[0], PASSWORD), 429, "rate_limited");
    assert.equal((await clientFromIp("100.64.9.10").login(accounts[1], PASSWORD)).status, 200);
    // Accounts nobody is guessing: still checked from that IP, right or wrong.
    assert.equal((await clientFromIp(attacker).login("clean-a@example.com", PASSWORD)).status, 200);
    assertError(await clientFromIp(attacker).login("clean-b@example.com", "nope-123"), 401, "unauthenticated");
  },
);

Deno.test(
  "POST /api/auth/reauth of a signed-in manager is not locked by guessing from outside; it has its own limit",
  opts,
  async () => {
    const manager = clientFromIp("203.0.113.30");
    const user = await manager.register("reauth-manager@example.com", "Manager");
    await app.db.query("UPDATE users SET role = 'manager', staff_role = 'finance' WHERE id = $1", [user.id]);
    const statuses = await loginsAtOnce("reauth-manager@example.com", 40, undefined, "198.18.2");
    assert.ok(count(statuses, 429) >= 30, JSON.stringify(statuses));
    const ok = await manager.request("POST", "/api/auth/reauth", { json: { password: PASSWORD } });
    assert.equal(ok.status, 204, await ok.text());
    // Guessing inside the session is limited on its own.
    for (let i = 0; i < 10; i++) {
      const wrong = await manager.json("POST", "/api/auth/reauth", { json: { password: `nope-${i}` } });
      assertError(wrong, 401, "unauthenticated");
    }
    assertError(
      await manager.json("POST", "/api/auth/reauth", { json: { password: PASSWORD } }),
      429,
      "rate_limited",
    );
  },
);

Deno.test("GET /api/me answers 401 once the session has expired", opts, async () => {
  const c = app.client();
  const user = await c.register("expired@example.com", "Expired");
  assert.equal((await c.json("GET", "/api/me")).status, 200);
  await app.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
  assertError(await c.json("GET", "/api/me"), 401, "unauthenticated");
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
