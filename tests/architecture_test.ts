import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { islandName } from "../lib/island.tsx";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOMAIN = join(ROOT, "domain");
const ISLANDS = join(ROOT, "islands");
/** Layers the pure domain must never reach into. */
const FORBIDDEN_LAYERS = ["db", "routes", "realtime", "services", "lib"];

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
      if (FORBIDDEN_LAYERS.includes(rel[0])) problems.push(`imports ${spec} (${rel[0]}/)`);
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
  ].join("\n");
  const found = domainViolations(file, bad);
  for (const layer of ["db/", "lib/", "services/", "realtime/", "routes/"]) {
    assert.ok(found.some((p) => p.includes(layer)), `${layer} not caught: ${found}`);
  }
  for (const effect of ["Deno.*", "Date.now()", "Math.random()"]) {
    assert.ok(found.includes(`uses ${effect}`), `${effect} not caught`);
  }
  const good = [
    `import Big from "big.js";`,
    `import { money } from "../money.ts";`,
    `import { appConfig } from "../../fresh.config.ts";`,
    `// Date.now() is not allowed here; callers pass the time in.`,
    `/** Never Math.random() or Deno.env */`,
    `const label = "Deno.env in a string is fine";`,
  ].join("\n");
  assert.deepEqual(domainViolations(file, good), []);
});

Deno.test(
  "domain/ imports nothing from db/, routes/, realtime/, services/ or lib/ and uses no Deno.*, Date.now() or Math.random()",
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
