import { encodeHex } from "./hex.ts";

const ROOT = new URL("../", import.meta.url);
const ISLANDS_DIR = new URL("islands/", ROOT);
const CACHE_DIR = new URL(".cache/", ROOT);

/** The built browser bundle of all islands, served under a content-hashed URL. */
export interface IslandBundle {
  url: string;
  code: Uint8Array;
  names: string[];
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
 * Builds one browser bundle of every island with `deno bundle`, once per process
 * (pass `force` to rebuild in dev). The generated entry and output live in `.cache/`.
 */
export function buildIslands(force = false): Promise<IslandBundle> {
  if (!building || force) building = build();
  return building;
}

async function build(): Promise<IslandBundle> {
  const names = await listIslands();
  await Deno.mkdir(CACHE_DIR, { recursive: true });
  const unique = crypto.randomUUID();
  const entry = new URL(`islands_entry_${unique}.ts`, CACHE_DIR);
  const out = new URL(`islands_${unique}.js`, CACHE_DIR);
  const source = [
    `import { hydrateIslands } from "../client/island_runtime.ts";`,
    ...names.map((n) => `import ${n} from "../islands/${n}.tsx";`),
    `hydrateIslands({ ${names.join(", ")} } as never);`,
  ].join("\n");
  await Deno.writeTextFile(entry, source);
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", "--minify", "--output", out.pathname, entry.pathname],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  });
  const result = await cmd.output();
  if (!result.success) {
    throw new Error(`Cannot bundle islands: ${new TextDecoder().decode(result.stderr)}`);
  }
  const code = await Deno.readFile(out);
  await Deno.remove(entry).catch(() => {});
  await Deno.remove(out).catch(() => {});
  const digest = encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", code))).slice(0, 16);
  return { url: `/_islands/${digest}.js`, code, names };
}
