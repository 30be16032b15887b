import assert from "node:assert/strict";
import { createTestApp, type TestClient } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

const XSS_NAME = "<img src=x onerror=alert(1)>";
const XSS_PRODUCT = "</script><script>alert(1)</script>";
const XSS_PRODUCT_EN = "<svg onload=alert(2)>";
const XSS_DESCRIPTION = "<iframe src=javascript:alert(3)></iframe>";

// --- Fixture: one category, a plain product and a hostile one. -----------------------------

const [{ id: categoryId }] = await app.db.query<{ id: string }>(
  `INSERT INTO categories (slug, name_zh, name_en) VALUES ('beauty', '美妆护肤', 'Beauty')
   ON CONFLICT (slug) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en RETURNING id`,
);
async function insertProduct(name: string, nameEn: string, description: string, sales: number, onSale = true) {
  const [row] = await app.db.query<{ id: string }>(
    `INSERT INTO products (category_id, name, name_en, description, price, stock, sales_count, on_sale)
     VALUES ($1, $2, $3, $4, '88.00', 30, $5, $6) RETURNING id`,
    [categoryId, name, nameEn, description, sales, onSale],
  );
  return String(row.id);
}
const plainId = await insertProduct("保湿面霜", "Hydrating Cream", "好用的面霜", 100);
const xssId = await insertProduct(XSS_PRODUCT, XSS_PRODUCT_EN, XSS_DESCRIPTION, 999);
const offShelfId = await insertProduct("下架商品", "Retired", "", 0, false);

const manager = app.client();
assert.equal((await manager.login(app.settings.ADMIN_EMAIL, app.settings.ADMIN_PASSWORD!)).status, 200);

// --- Helpers ------------------------------------------------------------------------------------

async function page(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await c.request("GET", path, { headers });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  assert.ok(m, "the page carries a _csrf field");
  return m![1];
}

async function postForm(c: TestClient, path: string, fields: Record<string, string>) {
  const res = await c.request("POST", path, {
    body: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** A fresh visitor that has loaded `path` (so it holds the CSRF cookie) and the form's token. */
async function visitorWithForm(path: string): Promise<{ c: TestClient; csrf: string }> {
  const c = app.client();
  const res = await page(c, path);
  assert.equal(res.status, 200);
  return { c, csrf: csrfFrom(res.html) };
}

function assertHtml(res: { status: number; headers: Headers; html: string }, status: number) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(res.html, /^<!DOCTYPE html>/i);
  assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
}

function assertNoModuleScript(html: string, path: string) {
  assert.doesNotMatch(html, /<script type="module"/, `${path} ships JavaScript but has no islands`);
  assert.doesNotMatch(html, /<script\b/i, `${path} has a <script> element`);
}

/** No <script> element but the page's own two for islands (the props JSON and the module), if any. */
function assertOnlyIslandScripts(html: string, path: string) {
  const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
  if (!scripts.length) return;
  assert.equal(scripts.length, 2, `${path} has other <script> elements: ${scripts.join(" ")}`);
  assert.equal(scripts[0], '<script id="__islands" type="application/json">', path);
  assert.match(
    scripts[1],
    /^<script type="module" src="\/[^"]+"><\/script>$|^<script type="module" src="\/[^"]+">$/,
    path,
  );
  const json = islandsJson(html);
  assert.ok(!json.includes("<") && !json.includes(">"), `${path}: the island JSON holds no raw < or >`);
}

/** The raw JSON text of the serialised island props. */
function islandsJson(html: string): string {
  const m = html.match(/<script id="__islands" type="application\/json">([\s\S]*?)<\/script>/);
  assert.ok(m, "the page carries serialised island props");
  return m![1];
}

/**
 * Whether `raw` is shown as text: every `<` of it escaped as `&lt;`. A `>` in text needs no escaping,
 * so the page may carry it as `>` or `&gt;`.
 */
function showsAsText(html: string, raw: string): boolean {
  return html.replaceAll("&gt;", ">").includes(raw.replaceAll("&", "&amp;").replaceAll("<", "&lt;"));
}

function assertRedirectStaysHome(location: string | null) {
  assert.ok(location, "a Location header");
  const target = new URL(location!, "http://localhost");
  assert.equal(target.host, "localhost", `redirect to ${location} leaves the site (resolves to ${target.href})`);
}

// --- Status codes ---------------------------------------------------------------------------

Deno.test("GET / answers 200 HTML listing products, without islands and without JavaScript", opts, async () => {
  const res = await page(app.client(), "/");
  assertHtml(res, 200);
  assert.match(res.html, /保湿面霜/);
  assert.match(res.html, new RegExp(`href="/products/${plainId}"`));
  assert.doesNotMatch(res.html, /下架商品/);
  assertNoModuleScript(res.html, "/");
});

Deno.test("GET / filters by q and category and reflects the search text escaped", opts, async () => {
  const res = await page(app.client(), `/?q=${encodeURIComponent("面霜")}&category=beauty`);
  assertHtml(res, 200);
  assert.match(res.html, /保湿面霜/);
  assert.doesNotMatch(res.html, /alert\(1\)/);
  const reflected = await page(app.client(), `/?q=${encodeURIComponent('"><script>alert(9)</script>')}`);
  assertHtml(reflected, 200);
  assert.doesNotMatch(reflected.html, /<script>alert\(9\)/);
  assert.doesNotMatch(reflected.html, /"><script/);
  assert.ok(showsAsText(reflected.html, "<script>alert(9)</script>"));
  assertNoModuleScript(reflected.html, "/?q=");
});

Deno.test(
  "GET /login and GET /register answer 200 with a form carrying the CSRF field, without JavaScript",
  opts,
  async () => {
    for (const path of ["/login", "/register"]) {
      const res = await page(app.client(), path);
      assertHtml(res, 200);
      assert.match(res.html, new RegExp(`<form method="post" action="${path}"`));
      assert.ok(csrfFrom(res.html).length >= 16);
      assertNoModuleScript(res.html, path);
    }
  },
);

Deno.test("GET /login redirects a signed-in member to /account", opts, async () => {
  const res = await manager.request("GET", "/login");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/account");
});

Deno.test(
  "GET /products/:id answers 200 HTML for a product whose buy form works without JavaScript",
  opts,
  async () => {
    const res = await page(app.client(), `/products/${plainId}`);
    assertHtml(res, 200);
    assert.match(res.html, /<h1>保湿面霜<\/h1>/);
    assert.match(res.html, /88\.00/);
    // The buy box is an island (stepper, SKU choices), over a plain form that posts without script.
    assert.match(res.html, /<form method="post" action="\/cart\/set" class="buy-form"/);
    assert.match(res.html, /<input id="qty" class="stepper-input" type="number" name="quantity"/);
    assert.match(res.html, /formaction="\/cart\/buy"/);
    assert.deepEqual(JSON.parse(islandsJson(res.html)).map((i: { name: string }) => i.name), ["SkuPicker"]);
  },
);

Deno.test("GET /products/:id answers a 404 page for an unknown, malformed or off-shelf product", opts, async () => {
  for (const path of ["/products/999999", "/products/abc", `/products/${offShelfId}`]) {
    const res = await page(app.client(), path);
    assertHtml(res, 404);
    assert.match(res.html, /error-page/);
    assertNoModuleScript(res.html, path);
  }
  // A manager sees the off-shelf product.
  assertHtml(await page(manager, `/products/${offShelfId}`), 200);
});

Deno.test("an unknown path answers a 404 HTML page (and JSON under /api)", opts, async () => {
  const res = await page(app.client(), "/no-such-page");
  assertHtml(res, 404);
  assert.match(res.html, /class="error-code"[^>]*>404</);
  assertNoModuleScript(res.html, "/no-such-page");
  const api = await app.client().json<{ error: { code: string } }>("GET", "/api/no-such-route");
  assert.equal(api.status, 404);
  assert.equal(api.body.error.code, "not_found");
});

Deno.test(
  "GET /account redirects a visitor to /login and answers 200 for a member, without JavaScript",
  opts,
  async () => {
    const anon = await app.client().request("GET", "/account");
    assert.equal(anon.status, 302);
    assert.equal(anon.headers.get("location"), "/login?next=/account");
    const c = app.client();
    const user = await c.register("account-page@example.com", "Account Page");
    const res = await page(c, "/account");
    assertHtml(res, 200);
    assert.match(res.html, /Account Page/);
    assert.match(res.html, new RegExp(user.referralCode));
    assertNoModuleScript(res.html, "/account");
  },
);

Deno.test(
  "GET /cart names the product in each line's quantity, stepper and remove controls; every /checkout fieldset has a legend",
  opts,
  async () => {
    const c = app.client();
    await c.register("cart-labels@example.com", "Cart Labels");
    const empty = await page(c, "/cart");
    const set = await postForm(c, "/cart/set", { _csrf: csrfFrom(empty.html), productId: plainId, quantity: "2" });
    assert.equal(set.status, 303);
    assert.equal(set.headers.get("location"), "/cart");
    const cart = await page(c, "/cart");
    assertHtml(cart, 200);
    assert.match(cart.html, /<label class="sr-only" for="q-\d+">保湿面霜的数量<\/label>/);
    assert.match(cart.html, /aria-label="减少保湿面霜的数量"/);
    assert.match(cart.html, /aria-label="增加保湿面霜的数量"/);
    assert.match(cart.html, /aria-label="删除 保湿面霜"[^>]*>[\s\S]*?<span>删除<\/span>\s*<\/button>/);
    const checkout = await page(c, "/checkout");
    assertHtml(checkout, 200);
    const fieldsets = checkout.html.match(/<fieldset[\s>][\s\S]*?<\/fieldset>/g) ?? [];
    assert.equal(fieldsets.length, 2);
    for (const f of fieldsets) assert.match(f, /^<fieldset[^>]*>\s*<legend>[^<]+<\/legend>/);
    assert.match(checkout.html, /<legend>优惠券与积分<\/legend>/);
  },
);

Deno.test(
  "GET /admin redirects a visitor, answers 403 to a shopper and 200 with the live island to a manager",
  opts,
  async () => {
    const anon = await app.client().request("GET", "/admin");
    assert.equal(anon.status, 302);
    assert.equal(anon.headers.get("location"), "/login?next=/admin");
    const shopper = app.client();
    await shopper.register("admin-page-shopper@example.com", "Shopper");
    const denied = await page(shopper, "/admin");
    assertHtml(denied, 403);
    assertNoModuleScript(denied.html, "/admin as shopper");
    const res = await page(manager, "/admin");
    assertHtml(res, 200);
    const scripts = [...res.html.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)];
    assert.equal(scripts.length, 1, "one module script for the islands");
    const props = JSON.parse(islandsJson(res.html)) as { name: string; props: unknown }[];
    assert.deepEqual(props.map((i) => i.name), ["AdminAnalytics", "WithdrawalAlerts", "StockAlerts", "MembersLive"]);
    assert.match(res.html, /data-island="0"/);
    const bundle = await app.client().request("GET", scripts[0][1]);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get("content-type") ?? "", /javascript/);
    await bundle.body?.cancel();
  },
);

// --- Forms ----------------------------------------------------------------------------------

Deno.test("POST /register re-renders the form with field errors and 400, keeping what was typed", opts, async () => {
  const { c, csrf } = await visitorWithForm("/register");
  const res = await postForm(c, "/register", {
    _csrf: csrf,
    name: "<b>Typed</b>",
    email: "not-an-email",
    password: "short",
  });
  assertHtml(res, 400);
  assert.match(res.html, /<p class="field-error" id="f-email-error">/);
  assert.match(res.html, /<p class="field-error" id="f-password-error">/);
  assert.match(res.html, /class="field has-error"/);
  assert.match(res.html, /aria-invalid="true"/);
  assert.ok(showsAsText(res.html, 'value="<b>Typed</b>"'), "the typed name is kept, escaped");
  assert.ok(!res.html.includes("<b>Typed"));
  assert.match(res.html, /value="not-an-email"/);
  assert.doesNotMatch(res.html, /value="short"/, "the password is never echoed");
  assert.ok(csrfFrom(res.html), "the re-rendered form still carries the CSRF field");
  assert.equal(c.cookies.has("sid"), false);
  assertNoModuleScript(res.html, "POST /register");
});

Deno.test(
  "POST /register re-renders with a referralCode error for an unknown code and an email error for a duplicate",
  opts,
  async () => {
    const { c, csrf } = await visitorWithForm("/register");
    const unknown = await postForm(c, "/register", {
      _csrf: csrf,
      name: "Ref",
      email: "form-ref@example.com",
      password: "password-123",
      referralCode: "ZZZZZZZZ",
    });
    assertHtml(unknown, 400);
    assert.match(unknown.html, /id="f-referralCode-error"/);
    const dup = await postForm(c, "/register", {
      _csrf: csrf,
      name: "Dup",
      email: app.settings.ADMIN_EMAIL.toUpperCase(),
      password: "password-123",
    });
    assertHtml(dup, 409);
    assert.match(dup.html, /id="f-email-error"/);
    const [{ n }] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email = 'form-ref@example.com'",
    );
    assert.equal(n, 0);
  },
);

Deno.test(
  "POST /register without the CSRF field, or with a wrong one, answers 403 and creates nobody",
  opts,
  async () => {
    const { c, csrf } = await visitorWithForm("/register");
    const fields = { name: "Forged", email: "forged@example.com", password: "password-123" };
    assertHtml(await postForm(c, "/register", fields), 403);
    assertHtml(await postForm(c, "/register", { ...fields, _csrf: "x".repeat(csrf.length) }), 403);
    // A token without its cookie does not work either.
    const cookieless = app.client();
    assertHtml(await postForm(cookieless, "/register", { ...fields, _csrf: csrf }), 403);
    const [{ n }] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email = 'forged@example.com'",
    );
    assert.equal(n, 0);
    assert.equal(c.cookies.has("sid"), false);
  },
);

Deno.test("POST /register with valid fields signs the member in and redirects with 303", opts, async () => {
  const parent = await app.client().register("form-parent@example.com", "Form Parent");
  const { c, csrf } = await visitorWithForm(`/register?ref=${parent.referralCode}`);
  const res = await postForm(c, "/register", {
    _csrf: csrf,
    name: "Form Member",
    email: "form-member@example.com",
    password: "password-123",
    referralCode: parent.referralCode,
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  const me = await c.json<{ user: { email: string; uplineId: string } }>("GET", "/api/me");
  assert.equal(me.body.user.email, "form-member@example.com");
  assert.equal(me.body.user.uplineId, parent.id);
});

Deno.test(
  "POST /login with a wrong password re-renders with 401; the right one redirects to next with 303",
  opts,
  async () => {
    await app.client().register("form-login@example.com", "Form Login");
    const { c, csrf } = await visitorWithForm("/login");
    const wrong = await postForm(c, "/login", { _csrf: csrf, email: "form-login@example.com", password: "nope-nope" });
    assertHtml(wrong, 401);
    assert.match(wrong.html, /role="alert"/);
    assert.equal(c.cookies.has("sid"), false);
    const missing = await postForm(c, "/login", { _csrf: csrf, email: "", password: "" });
    assertHtml(missing, 400);
    assert.match(missing.html, /id="f-email-error"/);
    assertHtml(await postForm(c, "/login", { email: "form-login@example.com", password: "password-123" }), 403);
    const ok = await c.request("POST", "/login?next=/account", {
      body: new URLSearchParams({ _csrf: csrf, email: "form-login@example.com", password: "password-123" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/account");
    assert.ok(c.cookies.has("sid"));
  },
);

Deno.test("POST /login never redirects to another site through next", opts, async () => {
  await app.client().register("redirect@example.com", "Redirect");
  for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example/", "/\\/evil.example/"]) {
    const { c, csrf } = await visitorWithForm("/login");
    const res = await c.request("POST", `/login?next=${encodeURIComponent(next)}`, {
      body: new URLSearchParams({ _csrf: csrf, email: "redirect@example.com", password: "password-123" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(res.status, 303);
    assertRedirectStaysHome(res.headers.get("location"));
  }
});

Deno.test("GET /lang/:locale never redirects to another site through back", opts, async () => {
  for (const back of ["//evil.example/", "https://evil.example/", "/\\evil.example/"]) {
    const res = await app.client().request("GET", `/lang/en?back=${encodeURIComponent(back)}`);
    assert.equal(res.status, 303);
    assertRedirectStaysHome(res.headers.get("location"));
  }
});

Deno.test("POST /logout needs the CSRF field; with it the session ends and the browser goes home", opts, async () => {
  const c = app.client();
  await c.register("form-logout@example.com", "Form Logout");
  const home = await page(c, "/");
  const csrf = csrfFrom(home.html);
  assertHtml(await postForm(c, "/logout", {}), 403);
  assert.equal((await c.json("GET", "/api/me")).status, 200);
  const res = await postForm(c, "/logout", { _csrf: csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  assert.equal((await c.json("GET", "/api/me")).status, 401);
});

// --- Escaping -------------------------------------------------------------------------------

Deno.test("a member named like an HTML tag appears escaped on every page that shows their name", opts, async () => {
  const c = app.client();
  const user = await c.register("xss-member@example.com", XSS_NAME);
  for (const path of ["/account", "/", `/products/${plainId}`, "/no-such-page"]) {
    const res = await page(c, path);
    assert.ok(showsAsText(res.html, XSS_NAME), `${path} shows the name as text`);
    assert.ok(!res.html.includes("<img src=x"), `${path} contains the raw tag`);
    assertOnlyIslandScripts(res.html, path);
  }
  // The register page names the referrer.
  const invite = await page(app.client(), `/register?ref=${user.referralCode}`);
  assertHtml(invite, 200);
  assert.ok(showsAsText(invite.html, XSS_NAME), "the referrer's name is shown as text");
  assert.ok(!invite.html.includes("<img src=x"));
});

Deno.test("GET /admin shows a hostile member name escaped, also inside the serialised island props", opts, async () => {
  await app.client().register("xss-admin@example.com", XSS_NAME);
  const res = await page(manager, "/admin");
  assertHtml(res, 200);
  assert.ok(showsAsText(res.html, XSS_NAME), "the member list shows the name as text");
  assert.ok(!res.html.includes("<img src=x"), "the raw tag never appears");
  const json = islandsJson(res.html);
  assert.ok(!json.includes("<"), "the island JSON contains no raw <");
  assert.ok(!json.includes(">"), "the island JSON contains no raw >");
  const islands = JSON.parse(json) as { name: string; props: { newest: { name: string }[] } }[];
  const members = islands.find((i) => i.name === "MembersLive")!;
  assert.ok(members.props.newest.some((m) => m.name === XSS_NAME), "the props carry the exact name");
  // Only the two scripts the page itself adds: the JSON props and the module.
  assert.equal([...res.html.matchAll(/<script\b/gi)].length, 2);
});

Deno.test(
  "a product named </script><script>… appears escaped on / and /products/:id in both languages",
  opts,
  async () => {
    for (const lang of ["zh-CN", "en"]) {
      const headers = { cookie: `lang=${lang}` };
      for (const path of ["/", `/products/${xssId}`, `/?q=${encodeURIComponent("script")}`]) {
        const res = await page(app.client(), path, headers);
        assertHtml(res, 200);
        assertOnlyIslandScripts(res.html, `${path} (${lang})`);
        assert.ok(!res.html.includes("<svg onload"), `${path} (${lang}) contains the raw English name`);
        assert.ok(!res.html.includes("<iframe"), `${path} (${lang}) contains the raw description`);
        if (lang === "zh-CN") assert.ok(showsAsText(res.html, XSS_PRODUCT), `${path} shows the name as text`);
        else assert.ok(showsAsText(res.html, XSS_PRODUCT_EN), `${path} shows the English name as text`);
      }
    }
    const detail = await page(app.client(), `/products/${xssId}`);
    assert.ok(showsAsText(detail.html, XSS_DESCRIPTION), "the description is shown as text");
    assert.match(detail.html, /<title>&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; · /);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
