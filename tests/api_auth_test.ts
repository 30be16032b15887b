import assert from "node:assert/strict";
import { CryptoBox } from "../lib/crypto_box.ts";
import { createTestApp, DATABASE_URL, TestClient } from "./helpers.ts";
import { createApp, loadAppRoutes } from "../app.tsx";
import { createLogger } from "../lib/log.ts";
import { buildIslands } from "../lib/islands_build.ts";
import { loadStaticAssets } from "../lib/static_files.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const PASSWORD = "password-123";

// The in-process client has no socket, so every request comes from one IP ("local"). To test the
// per-account and per-IP login throttles apart, a second app over the same database is called with
// the node-server environment that `clientIp` reads, so each client can come from its own address.
const [islands, assets] = await Promise.all([buildIslands(), loadStaticAssets()]);
const sameDbApp = createApp({
  db: app.db,
  settings: app.settings,
  log: createLogger("silent"),
  islands,
  assets,
  shop: app.shop,
  box: await CryptoBox.fromHex(app.settings.idEncryptionKey),
}, await loadAppRoutes());
function clientFromIp(ip: string): TestClient {
  const env = { incoming: { socket: { remoteAddress: ip } } };
  return new TestClient(async (req) => await sameDbApp.fetch(req, env as never), "http://localhost");
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
  "POST /api/auth/register answers 400 with fields for a body over 64 KiB and creates nobody",
  opts,
  async () => {
    const c = app.client();
    const res = await c.json("POST", "/api/auth/register", {
      json: { email: "big@example.com", password: PASSWORD, name: "Big", padding: "x".repeat(65 * 1024) },
    });
    assertError(res, 400, "invalid_input");
    assert.ok(Object.keys((res.body as ApiError).error.fields ?? {}).length > 0, "fields expected");
    assert.equal(await userCount("big@example.com"), 0);
    // A declared Content-Length over the limit is refused as well.
    const declared = await c.json("POST", "/api/auth/register", {
      body: JSON.stringify({ email: "big2@example.com", password: PASSWORD, name: "Big", pad: "y".repeat(70_000) }),
      headers: { "content-type": "application/json", "content-length": "70100" },
    });
    assertError(declared, 400, "invalid_input");
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
  "POST /api/auth/login answers 400 with fields for malformed JSON, missing fields and wrong types",
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
    assertError(big, 400, "invalid_input");
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

Deno.test(
  "POST /api/auth/login answers 429 after 10 failed logins for one account, even from other IPs and with the right password",
  opts,
  async () => {
    await app.client().register("victim@example.com", "Victim");
    // Ten failures, each from a different IP, so only the per-account limit can trigger.
    for (let i = 0; i < 10; i++) {
      const res = await clientFromIp(`192.0.2.${10 + i}`).login("victim@example.com", `wrong-${i}`);
      assertError(res, 401, "unauthenticated");
    }
    const eleventh = await clientFromIp("192.0.2.50").login("victim@example.com", "wrong-again");
    assertError(eleventh, 429, "rate_limited");
    const right = await clientFromIp("192.0.2.51").login("Victim@Example.com", PASSWORD);
    assertError(right, 429, "rate_limited");
    assert.equal(sidOf(right), undefined);
    // Another account from a fresh IP is not affected.
    await app.client().register("bystander@example.com", "Bystander");
    assert.equal((await clientFromIp("192.0.2.52").login("bystander@example.com", PASSWORD)).status, 200);
  },
);

Deno.test("POST /api/auth/login answers 429 on the 11th failed login for one account from one IP", opts, async () => {
  await app.client().register("victim2@example.com", "Victim 2");
  const c = clientFromIp("198.51.100.7");
  for (let i = 0; i < 10; i++) assertError(await c.login("victim2@example.com", `bad-${i}`), 401, "unauthenticated");
  assertError(await c.login("victim2@example.com", "bad-10"), 429, "rate_limited");
});

Deno.test("POST /api/auth/login answers 429 when failures for different emails come from one IP", opts, async () => {
  await app.client().register("spray@example.com", "Spray");
  const attacker = clientFromIp("203.0.113.66");
  for (let i = 0; i < 10; i++) {
    assertError(await attacker.login(`spray-${i}@example.com`, "guess-123"), 401, "unauthenticated");
  }
  const res = await attacker.login("spray@example.com", PASSWORD);
  assertError(res, 429, "rate_limited");
  assert.equal(sidOf(res), undefined);
  // The same account from another IP still logs in: the block is on the IP.
  assert.equal((await clientFromIp("203.0.113.67").login("spray@example.com", PASSWORD)).status, 200);
});

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
