import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { islandName } from "../lib/island.tsx";
import { chainOf, findRoute, type Method, routePattern, routeProblems } from "../lib/fs_router.ts";
import { permissionOf } from "../lib/guards.ts";
import { loadAppRoutes } from "../app.tsx";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOMAIN = join(ROOT, "domain");
const ISLANDS = join(ROOT, "islands");

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}

function isSource(path: string): boolean {
  return /\.(ts|tsx|js|jsx|mts|mjs)$/.test(path) && !/(_test|\.test)\.(ts|tsx|js|jsx|mts|mjs)$/.test(path);
}

/**
 * Removes comments, so prose about `Date.now()` is not a violation. With `blankStrings`, plain
 * string literals are emptied too (template literals stay: they may interpolate code).
 */
function stripComments(source: string, blankStrings = false): string {
  return source.replace(
    /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (match, literal: string | undefined) => {
      if (literal === undefined) return match.startsWith("/*") ? match.replace(/[^\n]/g, " ") : " ";
      return blankStrings && !literal.startsWith("`") ? `${literal[0]}${literal[0]}` : literal;
    },
  );
}

/** Every module specifier a source file imports or re-exports, statically or dynamically. */
function importSpecifiers(source: string): string[] {
  const code = stripComments(source);
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** The violations of the domain rules in one file's source. */
function domainViolations(file: string, source: string): string[] {
  const problems: string[] = [];
  for (const spec of importSpecifiers(source)) {
    let target: string | undefined;
    if (spec.startsWith(".") || spec.startsWith("/")) target = resolve(dirname(file), spec);
    else if (spec.startsWith("file:")) target = fileURLToPath(spec);
    if (target) {
      const rel = relative(ROOT, target).split(/[\\/]/);
      // domain/ imports only domain/ and its libraries (npm packages).
      if (rel[0] !== "domain") problems.push(`imports ${spec} (${rel.length > 1 ? `${rel[0]}/` : rel[0]})`);
    }
  }
  const code = stripComments(source, true);
  if (/\bDeno\s*(\.|\[)/.test(code)) problems.push("uses Deno.*");
  if (/\bDate\s*\.\s*now\s*\(/.test(code)) problems.push("uses Date.now()");
  if (/\bMath\s*\.\s*random\s*\(/.test(code)) problems.push("uses Math.random()");
  return problems;
}

Deno.test("the domain rule checker catches forbidden imports and ambient effects (self-test)", opts, () => {
  const file = join(DOMAIN, "pricing", "example.ts");
  const bad = [
    `import { x } from "../../db/db.ts";`,
    `import type { Ctx } from "../../lib/app_env.ts";`,
    `export { y } from "../../services/accounts.ts";`,
    `const m = await import("../../realtime/rooms.ts");`,
    `import "../../routes/api_auth.ts";`,
    `const t = Date.now();`,
    `const r = Math.random();`,
    `const e = Deno.env.get("X");`,
    `import { appConfig } from "../../fresh.config.ts";`,
    `import { ProductCard } from "../../components/ProductCard.tsx";`,
  ].join("\n");
  const found = domainViolations(file, bad);
  for (const layer of ["db/", "lib/", "services/", "realtime/", "routes/", "fresh.config.ts", "components/"]) {
    assert.ok(found.some((p) => p.includes(layer)), `${layer} not caught: ${found}`);
  }
  for (const effect of ["Deno.*", "Date.now()", "Math.random()"]) {
    assert.ok(found.includes(`uses ${effect}`), `${effect} not caught`);
  }
  const good = [
    `import Big from "big.js";`,
    `import { money } from "../money.ts";`,
    `// Date.now() is not allowed here; callers pass the time in.`,
    `/** Never Math.random() or Deno.env */`,
    `const label = "Deno.env in a string is fine";`,
  ].join("\n");
  assert.deepEqual(domainViolations(file, good), []);
});

Deno.test(
  "domain/ imports only domain/ and its libraries and uses no Deno.*, Date.now() or Math.random()",
  opts,
  async () => {
    const problems: string[] = [];
    let checked = 0;
    for await (const path of walk(DOMAIN)) {
      if (!isSource(path)) continue;
      checked++;
      for (const p of domainViolations(path, await Deno.readTextFile(path))) {
        problems.push(
          `${relative(ROOT, path)}: ${p}`,
        );
      }
    }
    assert.ok(checked > 0, "domain/ has source files");
    assert.deepEqual(problems, [], `domain/ must stay pure:\n${problems.join("\n")}`);
  },
);

Deno.test(
  "every islands/*.tsx default-exports a component whose function name equals its file name",
  opts,
  async () => {
    const files: string[] = [];
    for await (const entry of Deno.readDir(ISLANDS)) {
      if (entry.isFile && entry.name.endsWith(".tsx")) files.push(entry.name);
    }
    assert.ok(files.length > 0, "islands/ has components");
    const problems: string[] = [];
    for (const file of files.sort()) {
      const expected = file.replace(/\.tsx$/, "");
      if (!/^[A-Z][A-Za-z0-9]*$/.test(expected)) {
        problems.push(`${file}: island file names are PascalCase identifiers (the bundler skips others)`);
        continue;
      }
      const mod = await import(pathToFileURL(join(ISLANDS, file)).href) as { default?: unknown };
      if (typeof mod.default !== "function") {
        problems.push(`${file}: the default export is not a component function`);
        continue;
      }
      const fn = mod.default as { name: string };
      if (fn.name !== expected) problems.push(`${file}: default export is named "${fn.name}", not "${expected}"`);
      const registered = islandName(mod.default as never);
      if (registered !== expected) problems.push(`${file}: registers as island "${registered}", not "${expected}"`);
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  },
);

const ROUTES = join(ROOT, "routes");
const SQL =
  /\b(SELECT\s+[\w*(),.\s]+?\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b|(?<!req)\.query\s*[<(]|\.transaction\s*\(/;
/** Most lines a file under routes/ may have. */
const ROUTE_MAX_LINES = 150;

/** The layer (top folder) a relative or file: import of `file` points into, if any. */
function importedLayer(file: string, spec: string): string | undefined {
  let target: string | undefined;
  if (spec.startsWith(".") || spec.startsWith("/")) target = resolve(dirname(file), spec);
  else if (spec.startsWith("file:")) target = fileURLToPath(spec);
  return target ? relative(ROOT, target).split(/[\\/]/)[0] : undefined;
}

/** Value imports (not `import type`) of a source. */
function valueImports(source: string): string[] {
  const code = stripComments(source);
  const specs: string[] = [];
  for (const m of code.matchAll(/\b(import|export)\s+(type\s+)?([^'"`;]*?)\bfrom\s*["']([^"']+)["']/g)) {
    const names = m[3].trim();
    const typeOnly = Boolean(m[2]) || /^\{\s*(type\s+\w+\s*(as\s+\w+\s*)?,?\s*)+\}$/.test(names);
    if (!typeOnly) specs.push(m[4]);
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) specs.push(m[1]);
  return specs;
}

/** What a file under routes/ breaks: value imports from db/, SQL, length. */
function routeViolations(file: string, source: string): string[] {
  const problems: string[] = [];
  for (const spec of valueImports(source)) {
    if (importedLayer(file, spec) === "db") problems.push(`imports ${spec} (db/): call a service instead`);
  }
  if (SQL.test(stripComments(source))) problems.push("holds SQL: move the query to a service or a db/ repository");
  const lines = source.split("\n").length;
  if (lines > ROUTE_MAX_LINES) {
    problems.push(`has ${lines} lines (at most ${ROUTE_MAX_LINES}): move markup to components/`);
  }
  return problems;
}

/**
 * What an island breaks: value imports of server code other than domain/ (and client/, i18n/); a shared
 * component it imports from components/ must keep to the same rule.
 */
async function islandViolations(file: string, source: string, seen = new Set<string>()): Promise<string[]> {
  const problems: string[] = [];
  for (const spec of valueImports(source)) {
    const layer = importedLayer(file, spec);
    if (!layer || ["domain", "islands", "client", "i18n"].includes(layer) || spec.endsWith("fresh.config.ts")) continue;
    const target = resolve(dirname(file), spec);
    if (layer === "components") {
      if (seen.has(target)) continue;
      seen.add(target);
      const inner = await islandViolations(target, await Deno.readTextFile(target), seen);
      problems.push(...inner.map((p) => `via ${spec}: ${p}`));
    } else {
      problems.push(`imports ${spec} (${layer}/): islands may import only types from server code, and domain/`);
    }
  }
  return problems;
}

Deno.test(
  "the route and island checkers catch db/ imports, SQL, long files and server imports (self-test)",
  opts,
  async () => {
    const file = join(ROUTES, "admin", "orders", "index.tsx");
    const bad = routeViolations(
      file,
      [
        `import { listOrders } from "../../../db/orders_repo.ts";`,
        `const rows = await db.query("SELECT id FROM orders");`,
        ...Array(150).fill("// padding"),
      ].join("\n"),
    );
    assert.equal(bad.length, 3, bad.join("\n"));
    assert.deepEqual(
      routeViolations(file, `import type { UserRow } from "../../../db/users_repo.ts";\n// SELECT in a comment\n`),
      [],
    );
    const island = join(ISLANDS, "Example.tsx");
    assert.equal((await islandViolations(island, `import { x } from "../services/cart.ts";`)).length, 1);
    assert.deepEqual(
      await islandViolations(
        island,
        `import type { Cart } from "../services/cart.ts";\nimport { money } from "../domain/money.ts";\nimport { live } from "../client/live.ts";`,
      ),
      [],
    );
  },
);

Deno.test(
  "routes/ imports no values from db/, holds no SQL, and no file in it is over 150 lines",
  opts,
  async () => {
    const problems: string[] = [];
    for await (const path of walk(ROUTES)) {
      if (!isSource(path)) continue;
      for (const p of routeViolations(path, await Deno.readTextFile(path))) {
        problems.push(`${relative(ROOT, path)}: ${p}`);
      }
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  },
);

Deno.test("islands/ import only types from server code (and domain/, client/ and i18n/)", opts, async () => {
  const problems: string[] = [];
  for await (const path of walk(ISLANDS)) {
    if (!isSource(path)) continue;
    for (const p of await islandViolations(path, await Deno.readTextFile(path))) {
      problems.push(`${relative(ROOT, path)}: ${p}`);
    }
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});

Deno.test("the routes tree: no two files claim one URL, every route file handles some HTTP method", opts, () => {
  assert.deepEqual(
    routeProblems([
      { file: "admin/orders.tsx", handler: { GET: () => {} } },
      { file: "admin/orders/index.tsx", handler: { GET: () => {} } },
      { file: "products/[id].tsx", handler: { GET: () => {} } },
      { file: "products/[slug].tsx", handler: { POST: () => {} } },
      { file: "empty.ts", handler: {} },
    ]),
    [
      "routes/admin/orders.tsx and routes/admin/orders/index.tsx both claim /admin/orders",
      "routes/products/[id].tsx and routes/products/[slug].tsx both claim /products/:",
      "routes/empty.ts exports no handler for any HTTP method",
    ],
  );
  assert.equal(routePattern("index.tsx"), "/");
  assert.equal(routePattern("admin/orders/[id].tsx", { id: "\\d+" }), "/admin/orders/:id{\\d+}");
  assert.equal(routePattern("admin/orders.csv.ts"), "/admin/orders.csv");
  assert.equal(routePattern("api/me/withdrawals.ts"), "/api/me/withdrawals");
});

Deno.test("the real routes tree loads: static segments are tried before parameters", opts, async () => {
  const tree = await loadAppRoutes();
  assert.ok(tree.routes.length > 50);
  const at = (pattern: string) => tree.routes.findIndex((r) => r.pattern === pattern);
  assert.ok(at("/admin/products/new") < at("/admin/products/:id"), "new before :id");
  assert.ok(at("/admin/orders/ship-csv") < at("/admin/orders/:id{\\d+}"), "ship-csv before :id");
  assert.equal(findRoute(tree, "POST", "/admin/products/import")?.file, "admin/products/import/index.ts");
});

Deno.test(
  "every page and API handler under routes/admin/ and routes/api/admin/ has a requirePermission guard",
  opts,
  async () => {
    const tree = await loadAppRoutes();
    const problems: string[] = [];
    let checked = 0;
    for (const route of tree.routes) {
      if (!/^(admin|api\/admin)(\/|\.|$)/.test(route.file)) continue;
      for (const method of Object.keys(route.handler) as Method[]) {
        checked++;
        if (!chainOf(tree, route, method).some((h) => permissionOf(h))) {
          problems.push(`${method} routes/${route.file}: no requirePermission(...) guard`);
        }
      }
    }
    assert.ok(checked > 40, `checked ${checked}`);
    assert.deepEqual(problems, [], problems.join("\n"));
  },
);

Deno.test("a newcomer finds five README URLs where the URL says", opts, async () => {
  const tree = await loadAppRoutes();
  const cases: [string, string, string][] = [
    ["GET", "/", "index.tsx"],
    ["GET", "/products/42", "products/[id].tsx"],
    ["GET", "/admin/orders/7", "admin/orders/[id]/index.tsx"],
    ["POST", "/api/me/withdrawals", "api/me/withdrawals.ts"],
    ["GET", "/admin/statements/3.pdf", "admin/statements/[file].tsx"],
    ["GET", "/distributor/team", "distributor/team.tsx"],
  ];
  for (const [method, path, file] of cases) assert.equal(findRoute(tree, method, path)?.file, file, path);
});

/** Folders under the root that hold no source of ours. */
const NOT_SOURCE = new Set(["data", "backups", "test-output", "node_modules"]);

/** Every source file of the project (tests excluded), relative to the root. */
async function projectSources(): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(ROOT)) {
    if (entry.name.startsWith(".") || NOT_SOURCE.has(entry.name)) continue;
    const path = join(ROOT, entry.name);
    if (entry.isDirectory) {
      for await (const file of walk(path)) if (isSource(file)) files.push(relative(ROOT, file));
    } else if (entry.isFile && isSource(path)) files.push(entry.name);
  }
  return files.sort();
}

/** The one module that names the shop's time zone and offset. */
const SHOP_TIME = "domain/shop_time.ts";
/** The one module that rounds. */
const MONEY = "domain/money.ts";
/** The one module that says how many tiers are paid. */
const REFERRAL = "domain/referral.ts";

/**
 * What a source file restates of the rules that live in one module each: the shop's time zone or UTC
 * offset (domain/shop_time.ts), rounding with big.js (domain/money.ts), the number of paid tiers
 * (domain/referral.ts: `MAX_TIERS`, `TIERS`).
 */
function restatedRules(file: string, source: string): string[] {
  const problems: string[] = [];
  const code = stripComments(source); // strings stay: a zone name or an SQL bound is a string
  const unquoted = stripComments(source, true);
  const rel = file.split(/[\\/]/).join("/");
  if (rel !== SHOP_TIME) {
    if (/Asia\/Shanghai/.test(code)) problems.push(`names the shop's time zone: use ${SHOP_TIME}`);
    if (/\+08:?00\b/.test(code)) problems.push(`names the shop's UTC offset: use ${SHOP_TIME}`);
    if (/\b8\s*\*\s*3_?600_?000\b/.test(code)) problems.push(`computes the shop's UTC offset: use ${SHOP_TIME}`);
  }
  if (rel !== MONEY) {
    if (/(?<!\bMath\s*)\.\s*round\s*\(/.test(unquoted)) problems.push(`rounds with .round(): use ${MONEY}`);
    if (/\.\s*round(Down|Up|HalfUp|HalfEven)\b/.test(unquoted)) {
      problems.push(`names a big.js rounding mode: use ${MONEY}`);
    }
  }
  if (rel !== REFERRAL) {
    if (/\bBETWEEN\s+1\s+AND\s+[2-9]\b/i.test(code)) {
      problems.push("restates the paid tiers (BETWEEN 1 AND n): use MAX_TIERS");
    }
    if (/\b(depth|tier)\w*\s*(<=\s*[2-9]|<\s*[3-9]|={1,3}\s*3|>=?\s*3)(?![\d.])/i.test(code)) {
      problems.push("restates the paid tiers (a depth or tier bound): use MAX_TIERS or TIERS");
    }
    if (/\bMAX_TIERS?\s*=\s*\d/.test(unquoted)) problems.push("restates MAX_TIERS: import it from domain/referral.ts");
  }
  return problems;
}

Deno.test(
  "the one-module rules checker catches restated zones, offsets, rounding and tier bounds (self-test)",
  opts,
  () => {
    const bad = [
      `const f = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" });`,
      "const at = new Date(`${day}T00:00:00+08:00`);",
      `const OFFSET_MS = 8 * 3_600_000;`,
      `const cap = base.times(rate).round(2, Big.roundDown);`,
      `const p = x.round(0);`,
      "await db.query(`SELECT sum(sales) FROM team_daily WHERE depth BETWEEN 1 AND 3`);",
      `const rows = await db.query("SELECT id FROM referral_paths WHERE depth <= 2");`,
      `export const MAX_TIER = 3;`,
    ];
    for (const line of bad) assert.ok(restatedRules("services/example.ts", line).length > 0, `not caught: ${line}`);
    const good = [
      `const day = shopDay(now); // Asia/Shanghai, +08:00, x.round(2) in a comment`,
      `const n = Math.round(ms / 1000);`,
      `const cap = roundDown(base.times(rate), 2);`,
      "await db.query(`SELECT sum(sales) FROM team_daily WHERE depth BETWEEN 1 AND ${MAX_TIERS}`);",
      `const direct = rows.filter((r) => r.depth === 1 || r.tier < 2);`,
      `import { MAX_TIERS } from "../domain/referral.ts";`,
    ];
    for (const line of good) assert.deepEqual(restatedRules("services/example.ts", line), [], line);
    assert.deepEqual(restatedRules(SHOP_TIME, bad[0]), []);
    assert.deepEqual(restatedRules(MONEY, bad[3]), []);
  },
);

Deno.test(
  "each rule lives in one module: the shop's zone and offset, rounding, the number of paid tiers",
  opts,
  async () => {
    const files = await projectSources();
    assert.ok(files.includes(SHOP_TIME) && files.includes(MONEY) && files.includes(REFERRAL));
    const problems: string[] = [];
    for (const file of files) {
      for (const p of restatedRules(file, await Deno.readTextFile(join(ROOT, file)))) problems.push(`${file}: ${p}`);
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  },
);
