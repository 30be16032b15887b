import { encodeHex } from "./hex.ts";

const STATIC_DIR = new URL("../static/", import.meta.url);

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
};

/** One static file held in memory with its content hash. */
export interface StaticFile {
  body: Uint8Array;
  type: string;
  hash: string;
}

/** The static files, loaded once at start. */
export interface StaticAssets {
  files: Map<string, StaticFile>;
  /** The cache-busting URL of a file (`/static/app.css?v=<hash>`). */
  url(name: string): string;
}

/** Loads every file under `static/` (one level of folders) and hashes it. */
export async function loadStaticAssets(): Promise<StaticAssets> {
  const files = new Map<string, StaticFile>();
  async function walk(dir: URL, prefix: string) {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`);
      else if (e.isFile) {
        const body = await Deno.readFile(new URL(e.name, dir));
        const digest = await crypto.subtle.digest("SHA-256", body);
        const ext = e.name.split(".").pop() ?? "";
        files.set(`${prefix}${e.name}`, {
          body,
          type: TYPES[ext] ?? "application/octet-stream",
          hash: encodeHex(new Uint8Array(digest)).slice(0, 12),
        });
      }
    }
  }
  await walk(STATIC_DIR, "");
  return {
    files,
    url(name) {
      const f = files.get(name);
      return f ? `/static/${name}?v=${f.hash}` : `/static/${name}`;
    },
  };
}
