import { encodeHex } from "./hex.ts";
import { type StaticFile, staticFile } from "./static_files.ts";

const ROOT = new URL("../", import.meta.url);
const ISLANDS_DIR = new URL("islands/", ROOT);
const CACHE_DIR = new URL(".cache/", ROOT);

/** URL prefix of the built island scripts. */
export const ISLANDS_PREFIX = "/_islands/";

/**
 * The built browser scripts of the islands: one small entry per island and the chunks they share
 * (Preact, signals, Chart.js, the hydration runtime), every file under a content-hashed URL, so a
 * page loads only the islands it renders and each file can be cached for a year.
 */
export interface IslandBundle {
  /** Island names (file names in `islands/`). */
  names: string[];
  /** Served files by URL path (`/_islands/…`). */
  files: Map<string, StaticFile>;
  /** The entry script URL of each island. */
  entries: Map<string, string>;
  /** The shared chunks each island's entry imports (to preload them with the entry). */
  imports: Map<string, string[]>;
}

/** Lists island component names (file names without `.tsx`). */
export async function listIslands(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(ISLANDS_DIR)) {
    if (e.isFile && /^[A-Z][A-Za-z0-9]*\.tsx$/.test(e.name)) names.push(e.name.replace(/\.tsx$/, ""));
  }
  return names.sort();
}

let building: Promise<IslandBundle> | undefined;

/**
 * Builds the island scripts with `deno bundle --code-splitting --minify`, once per process (pass `force`
 * to rebuild in dev). The generated entries and output live in `.cache/` and are removed afterwards.
 */
export function buildIslands(force = false): Promise<IslandBundle> {
  if (!building || force) building = build();
  return building;
}

async function sha(bytes: Uint8Array): Promise<string> {
  return encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>))).slice(
    0,
    16,
  );
}

async function build(): Promise<IslandBundle> {
  const names = await listIslands();
  const work = new URL(`islands_${crypto.randomUUID()}/`, CACHE_DIR);
  const src = new URL("src/", work);
  const out = new URL("out/", work);
  await Deno.mkdir(src, { recursive: true });
  try {
    for (const n of names) {
      await Deno.writeTextFile(
        new URL(`${n}.ts`, src),
        [
          `import { hydrateIsland } from "../../../client/island_runtime.ts";`,
          `import ${n} from "../../../islands/${n}.tsx";`,
          `hydrateIsland("${n}", ${n} as never);`,
        ].join("\n"),
      );
    }
    const cmd = new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform",
        "browser",
        "--format",
        "esm",
        "--minify",
        "--code-splitting",
        "--outdir",
        out.pathname,
        ...names.map((n) => new URL(`${n}.ts`, src).pathname),
      ],
      cwd: ROOT.pathname,
      stdout: "piped",
      stderr: "piped",
    });
    const result = await cmd.output();
    if (!result.success) throw new Error(`Cannot bundle islands: ${new TextDecoder().decode(result.stderr)}`);

    const files = new Map<string, StaticFile>();
    const entries = new Map<string, string>();
    const imports = new Map<string, string[]>();
    const decoder = new TextDecoder();
    for await (const e of Deno.readDir(out)) {
      if (!e.isFile || !e.name.endsWith(".js")) continue;
      const code = await Deno.readFile(new URL(e.name, out));
      const name = e.name.replace(/\.js$/, "");
      // Chunks are named by their content hash already (`chunk-XXXXXXXX.js`); entries get theirs here.
      const file = names.includes(name) ? `${name}-${await sha(code)}.js` : e.name;
      const url = `${ISLANDS_PREFIX}${file}`;
      files.set(url, await staticFile(file, code, "text/javascript; charset=utf-8"));
      if (names.includes(name)) {
        entries.set(name, url);
        const chunks = [...decoder.decode(code).matchAll(/from\s*"\.\/(chunk-[A-Za-z0-9_-]+\.js)"/g)]
          .map((m) => `${ISLANDS_PREFIX}${m[1]}`);
        imports.set(name, [...new Set(chunks)]);
      }
    }
    const missing = names.filter((n) => !entries.has(n));
    if (missing.length) throw new Error(`Cannot bundle islands: no output for ${missing.join(", ")}`);
    return { names, files, entries, imports };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/**
 * The module that loads a page's islands: the island's own entry when there is one, otherwise a tiny module
 * importing each entry, named after the islands and the build (`/_islands/with-A-B-<build>.js`) so that any
 * instance of the same build can answer it. One `<script type=module>` per page either way.
 */
export function pageScript(bundle: IslandBundle, used: Iterable<string>): string {
  const names = [...new Set(used)].sort();
  for (const name of names) {
    if (!bundle.entries.has(name)) throw new Error(`Cannot hydrate island ${name}: it is not in islands/`);
  }
  if (names.length === 1) return bundle.entries.get(names[0])!;
  const url = `${ISLANDS_PREFIX}with-${names.join("-")}-${buildId(bundle)}.js`;
  if (!bundle.files.has(url)) void pageScriptFile(bundle, url);
  return url;
}

const buildIds = new WeakMap<IslandBundle, string>();
function buildId(bundle: IslandBundle): string {
  let id = buildIds.get(bundle);
  if (!id) {
    // Entry URLs carry their content hashes: this short digest of them changes whenever any island does.
    let h = 0x811c9dc5;
    for (const url of [...bundle.entries.values()].sort()) {
      for (let i = 0; i < url.length; i++) h = Math.imul(h ^ url.charCodeAt(i), 0x01000193);
    }
    id = (h >>> 0).toString(16).padStart(8, "0");
    buildIds.set(bundle, id);
  }
  return id;
}

/**
 * The file of a page module URL made by `pageScript` (built and kept on first use), or undefined when the
 * URL does not name known islands of this build.
 */
export async function pageScriptFile(bundle: IslandBundle, url: string): Promise<StaticFile | undefined> {
  const known = bundle.files.get(url);
  if (known) return known;
  const m = url.match(/^\/_islands\/with-([A-Za-z0-9-]+)-([0-9a-f]{8})\.js$/);
  if (!m || m[2] !== buildId(bundle)) return undefined;
  const names = m[1].split("-");
  if (names.length < 2 || names.some((n) => !bundle.entries.has(n))) return undefined;
  const code = names.map((n) => `import "./${bundle.entries.get(n)!.slice(ISLANDS_PREFIX.length)}";`).join("");
  const file = await staticFile(
    url.slice(ISLANDS_PREFIX.length),
    new TextEncoder().encode(code),
    "text/javascript; charset=utf-8",
  );
  bundle.files.set(url, file);
  return file;
}

/** The `<link rel=modulepreload>` tags of the scripts these islands import, and the one module script. */
export function islandScripts(bundle: IslandBundle, used: Iterable<string>): string {
  const names = [...new Set(used)].sort();
  const src = pageScript(bundle, names);
  const preload = new Set<string>();
  for (const name of names) {
    if (names.length > 1) preload.add(bundle.entries.get(name)!);
    for (const chunk of bundle.imports.get(name) ?? []) preload.add(chunk);
  }
  return [...preload].map((u) => `<link rel="modulepreload" href="${u}">`).join("") +
    `<script type="module" src="${src}"></script>`;
}
