/**
 * Hostile-input fuzzing of every page and API route: NUL, backslashes, lone surrogates, control
 * characters, huge strings, wrong types, arrays for scalars, negative/huge numbers and bad ids
 * in the path, the query, HTML forms and JSON bodies, as anonymous, shopper, distributor and
 * manager. Any 5xx fails. The API routes come from /api/openapi.json (with their query and body
 * schemas), the pages from the app's `routes/` tree. Deterministic and bounded (< 60 s on PGlite).
 */
import assert from "node:assert/strict";
import { buyAndPay, createTestApp, TEST_ADDRESS, TestClient } from "./helpers.ts";
import { loadAppRoutes } from "../app.tsx";
import { assets } from "../lib/assets.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

/** Strings no input should turn into a 500. */
const HOSTILE_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\\",
  "%",
  "_",
  "\ud800",
  "x\udfffy",
  "Bell\u0007",
  "\u001b[31m\u202e",
  "1e99",
  "-1",
  "abc",
  "0",
  "99999999999999999999",
  "１２",
  "NaN",
  "",
  "   ",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "2026-02-30",
  "x".repeat(5000),
];
/** Values of the wrong type for JSON fields. */
const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  null,
  true,
  0,
  -1,
  1.5,
  1e99,
  -1e99,
  Number.MAX_SAFE_INTEGER,
  [],
  ["a", "b"],
  [1, 2],
  {},
  { nested: { deep: [null] } },
  "x".repeat(200_000),
];
/** Bad values for ids in the path (already URL-encoded). */
const HOSTILE_IDS = ["1e99", "-1", "abc", "0", "99999999999999999999", "%00", "%5C", "%ED%A0%80", "%zz", "1.5", "%20"];
/** Whole JSON bodies of the wrong shape. */
const HOSTILE_BODIES = ["null", "[]", '"text"', "123", "{", '{"a":', "\u0000", '{"__proto__":{"x":1}}'];

/** A tiny deterministic PRNG, so a failure replays the same way. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261122);
const pick = <T>(list: readonly T[], n: number): T[] => {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rand() * copy.length), 1)[0]);
  return out;
};

// ---------------------------------------------------------------------------------------------
// The shop the fuzzer runs against: a product, a distributor with a buyer below, a paid order,
// a refund request, an application, a settlement.

const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
const created = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
  json: { name: "面霜", category: "beauty", price: "100.00", costPrice: "10.00", stock: 500, lowStockThreshold: 1 },
});
const productId = created.body.product.id;
const distributor = app.client();
const distUser = await distributor.register("fuzz-dist@example.com", "分销员");
await app.db.query("UPDATE users SET role = 'distributor' WHERE id = $1", [distUser.id]);
const shopper = app.client();
const shopperId =
  (await shopper.register("fuzz-shopper@example.com", "买家", { referralCode: distUser.referralCode })).id;
const orderId = await buyAndPay(shopper, app.settings.paymentSandboxSecret, productId, 2);
const order = await shopper.json<{ order: { items: { id: string }[] } }>("GET", `/api/orders/${orderId}`);
const refund = await shopper.json<{ refund: { id: string } }>("POST", `/api/orders/${orderId}/refunds`, {
  json: { items: [{ orderItemId: order.body.order.items[0].id, quantity: 1 }], reason: "不合适" },
});
const victim = app.client();
const victimUser = await victim.register("fuzz-victim@example.com", "路人");
await victim.json("POST", "/api/me/distributor-application", {
  json: { contact: "13800001234", channels: "朋友圈", experience: "" },
});
await new Promise((r) => setTimeout(r, 1100));
await admin.json("POST", "/api/admin/settlements", {
  json: { startsAt: "2026-01-01T00:00:00Z", endsAt: new Date(Date.now() - 500).toISOString() },
});
const [statement] = await app.db.query<{ id: string }>("SELECT id FROM statements ORDER BY id LIMIT 1");
const [period] = await app.db.query<{ id: string }>("SELECT id FROM settlement_periods ORDER BY id LIMIT 1");
const [application] = await app.db.query<{ id: string }>("SELECT id FROM distributor_applications LIMIT 1");

/** A real id for the path parameter that follows `segment`, so valid paths reach the handlers. */
function realId(segment: string): string {
  const ids: Record<string, string | undefined> = {
    products: productId,
    orders: orderId,
    refunds: refund.body.refund?.id,
    users: victimUser.id,
    statements: statement?.id,
    settlements: period?.id,
    "distributor-applications": application?.id,
    applications: application?.id,
    pay: orderId,
  };
  return ids[segment] ?? "1";
}

/** Routes that end the caller's session: fuzzed once, at the very end. */
const SESSION_ENDERS = new Set(["/api/auth/logout", "/logout"]);

// ---------------------------------------------------------------------------------------------
// Enumerating the routes.

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Operation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface RouteCase {
  method: string;
  /** With `{param}` placeholders. */
  path: string;
  query: string[];
  body?: JsonSchema;
  form: boolean;
}

async function apiRoutes(): Promise<RouteCase[]> {
  const doc = await admin.json<{ paths: Record<string, Record<string, Operation>> }>("GET", "/api/openapi.json");
  assert.equal(doc.status, 200);
  const out: RouteCase[] = [];
  for (const [path, ops] of Object.entries(doc.body.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      out.push({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        body: op.requestBody?.content?.["application/json"]?.schema,
        form: false,
      });
    }
  }
  return out;
}

/**
 * Page routes from the app's `routes/` tree (the URL space as files, `lib/fs_router.ts`) and the
 * framework's own asset routes (`lib/assets.ts`); a `:param{regex}` becomes `{param}`.
 */
async function pageRoutes(): Promise<RouteCase[]> {
  const tree = await loadAppRoutes();
  const routes = [
    ...tree.routes.flatMap((r) => Object.keys(r.handler).map((method) => ({ method, path: r.pattern }))),
    ...assets.routes,
  ];
  const seen = new Set<string>();
  const out: RouteCase[] = [];
  for (const r of routes) {
    if (r.method === "ALL" || r.path.startsWith("/api/") || r.path.startsWith("/static/")) continue;
    const path = r.path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string, re?: string) => {
      if (name === "decision") return "approve";
      if (name === "change") return "archive";
      if (name === "file" && re?.includes("csv|xlsx") && r.path.includes("analytics")) return "top-products.csv";
      return `{${name}}`;
    });
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path, query: [], form: r.method === "POST" });
  }
  return out;
}

/** A value that satisfies `schema` as far as a generic reading of it goes. */
function sample(schema: JsonSchema | undefined, name = ""): unknown {
  if (!schema) return "x";
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return sample(alt.find((s) => s.type !== "null") ?? alt[0], name);
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(v, k)]));
    case "array":
      return [sample(schema.items, name)];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return false;
    default:
      if (schema.pattern?.includes("\\d{1,18}")) return /product/i.test(name) ? productId : realId("orders");
      if (schema.pattern?.includes("\\.")) return "10.00";
      if (/phone/i.test(name)) return TEST_ADDRESS.phone;
      if (/email/i.test(name)) return "fuzz@example.com";
      if (/At$/.test(name)) return new Date().toISOString();
      return "fuzz";
  }
}

/** Every leaf path (and container) of a sample value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function setAt(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = leaf;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Sending.

const failures: string[] = [];
let sent = 0;

async function send(client: TestClient, who: string, method: string, url: string, init: RequestInit = {}) {
  sent++;
  let res: Response;
  try {
    res = await client.request(method, url, {
      body: init.body ?? undefined,
      headers: { "idempotency-key": crypto.randomUUID(), ...(init.headers as Record<string, string> ?? {}) },
    });
  } catch (err) {
    failures.push(`${who} ${method} ${url}: threw ${err}`);
    return;
  }
  const text = await res.text();
  if (res.status >= 500) failures.push(`${who} ${method} ${url.slice(0, 160)} → ${res.status} ${text.slice(0, 120)}`);
}

function fill(path: string, id: (segment: string) => string): string {
  const parts = path.split("/");
  return parts.map((p, i) => (/^\{\w+\}$/.test(p) ? id(parts[i - 1] ?? "") : p)).join("/");
}

/** Heavy responses (PDF rendering) get fewer variants. */
const heavy = (path: string) => /\.(pdf|xlsx)$|poster/.test(path);

async function fuzzRoute(client: TestClient, who: string, route: RouteCase, csrf: () => string) {
  const real = fill(route.path, realId);
  const light = !heavy(route.path);
  // Bad ids in the path.
  if (route.path.includes("{")) {
    for (const bad of light ? HOSTILE_IDS : HOSTILE_IDS.slice(0, 3)) {
      await send(client, who, route.method, fill(route.path, () => bad), formInit(route, csrf, {}));
    }
  }
  if (route.method === "GET") {
    const names = [...new Set([...route.query, "q", "page", "pageSize", "status", "sort"])];
    const values = light ? pick(HOSTILE_STRINGS, 5) : pick(HOSTILE_STRINGS, 2);
    for (const [i, value] of values.entries()) {
      const qs = new URLSearchParams();
      for (const [j, name] of names.entries()) if ((i + j) % 2 === 0 || !light) qs.append(name, value);
      await send(client, who, "GET", `${real}?${qs}`);
    }
    if (light) {
      // Arrays for scalars, and every parameter at once.
      const qs = new URLSearchParams();
      for (const name of names) qs.append(name, "1"), qs.append(name, "-1e99");
      await send(client, who, "GET", `${real}?${qs}`);
      await send(client, who, "GET", `${real}?${names.map((n) => `${n}=%ED%A0%80%zz`).join("&")}`);
    }
    return;
  }
  if (route.form) {
    for (const value of pick(HOSTILE_STRINGS, 4)) {
      const fields: Record<string, string> = {};
      for (const name of FORM_FIELDS) fields[name] = rand() < 0.7 ? value : "1";
      await send(client, who, route.method, real, formInit(route, csrf, fields));
    }
    await send(client, who, route.method, real, {
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n\r\n\u0000\r\n--x--',
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    return;
  }
  const json = { "content-type": "application/json" };
  for (const body of HOSTILE_BODIES) await send(client, who, route.method, real, { body, headers: json });
  const base = sample(route.body);
  await send(client, who, route.method, real, { body: JSON.stringify(base), headers: json });
  for (const path of paths(base).slice(0, 30)) {
    for (const value of pick(HOSTILE_VALUES, 2)) {
      await send(client, who, route.method, real, { body: JSON.stringify(setAt(base, path, value)), headers: json });
    }
  }
}

/** Names of the fields the shop's HTML forms use (read from the pages themselves). */
const FORM_FIELDS = new Set<string>(["q", "amount", "quantity", "productId", "reason", "note", "password", "email"]);

function formInit(route: RouteCase, csrf: () => string, fields: Record<string, string>): RequestInit {
  if (!route.form) return {};
  return {
    body: new URLSearchParams({ _csrf: csrf(), ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  };
}

Deno.test("no hostile query, path, form or JSON input gets a 5xx from any page or API route", opts, async () => {
  const started = performance.now();
  const anonymous = app.client();
  const clients: [string, TestClient][] = [
    ["anonymous", anonymous],
    ["shopper", shopper],
    ["distributor", distributor],
    ["manager", admin],
  ];
  const pages = await pageRoutes();
  const routes = [...await apiRoutes(), ...pages];
  assert.ok(routes.length > 100, `${routes.length} routes enumerated`);
  // The field names of every form the pages render, to fuzz them.
  for (const [, client] of clients) {
    for (const page of pages.filter((p) => p.method === "GET" && !p.path.includes("{") && !heavy(p.path))) {
      const res = await client.request("GET", page.path);
      const html = res.headers.get("content-type")?.includes("html")
        ? await res.text()
        : (await res.body?.cancel(), "");
      for (const m of html.matchAll(/<(?:input|select|textarea)[^>]*\bname="([\w.[\]-]+)"/g)) FORM_FIELDS.add(m[1]);
    }
  }
  FORM_FIELDS.delete("_csrf");
  for (const [who, client] of clients) {
    const csrf = () => client.cookies.get("csrf") ?? "";
    if (!client.cookies.has("csrf")) await (await client.request("GET", "/login")).body?.cancel();
    for (const route of routes) {
      if (SESSION_ENDERS.has(route.path)) continue;
      await fuzzRoute(client, who, route, csrf);
    }
  }
  // The fuzzing ran as who it claims: every member is still signed in as themself.
  for (
    const [who, client, id] of [["shopper", shopper, shopperId], ["distributor", distributor, distUser.id], [
      "manager",
      admin,
      "1",
    ]] as const
  ) {
    const me = await client.json<{ user: { id: string } }>("GET", "/api/me");
    assert.equal(me.status, 200, `${who} is still signed in`);
    if (who !== "manager") assert.equal(me.body.user.id, id, `${who} is still themself`);
  }
  for (const [who, client] of clients) {
    for (const route of routes.filter((r) => SESSION_ENDERS.has(r.path))) {
      await fuzzRoute(client, who, route, () => client.cookies.get("csrf") ?? "");
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${sent} requests over ${routes.length} routes in ${seconds.toFixed(1)} s`);
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} requests got a 5xx`);
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
