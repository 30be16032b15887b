import { encodeHex } from "./hex.ts";
import { EncodedBody, isCompressible } from "./compress.ts";

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

/** Brotli quality of files compressed once and kept (static files, island scripts). */
export const KEPT_QUALITY = 9;

/** One static file held in memory with its content hash and its compressed forms (made once). */
export interface StaticFile {
  body: Uint8Array;
  type: string;
  hash: string;
  encoded: EncodedBody;
}

/** The static files, loaded once at start. */
export interface StaticAssets {
  files: Map<string, StaticFile>;
  /** The cache-busting URL of a file (`/static/app.css?v=<hash>`). */
  url(name: string): string;
}

/** A static file from its bytes: hashed, typed by its extension, compressible forms made on demand. */
export async function staticFile(name: string, body: Uint8Array, type?: string): Promise<StaticFile> {
  const digest = await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>);
  const hash = encodeHex(new Uint8Array(digest)).slice(0, 12);
  const mime = type ?? TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";
  // Only text-like types are compressed; a PNG always answers as it is.
  const encoded = new EncodedBody(body, hash, { quality: KEPT_QUALITY, compress: isCompressible(mime) });
  return { body, type: mime, hash, encoded };
}

/** Loads every file under `static/` (one level of folders) and hashes it. */
export async function loadStaticAssets(): Promise<StaticAssets> {
  const files = new Map<string, StaticFile>();
  async function walk(dir: URL, prefix: string) {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`);
      else if (e.isFile) {
        const name = `${prefix}${e.name}`;
        files.set(name, await staticFile(name, await Deno.readFile(new URL(e.name, dir))));
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
