import { Hono } from "hono";
import type { AppEnv } from "./app_env.ts";
import { fail } from "./errors.ts";

const YEAR = "public, max-age=31536000, immutable";

/**
 * The framework's own files, served before any session work (as Fresh serves `static/` and its island
 * scripts): files under `static/` and the content-hashed island bundle.
 */
export const assets = new Hono<AppEnv>()
  .get("/static/*", (c) => {
    const name = c.req.path.slice("/static/".length);
    const file = c.get("deps").assets.files.get(name);
    if (!file) throw fail.notFound("File");
    const versioned = c.req.query("v") === file.hash;
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.type,
      "Cache-Control": versioned ? YEAR : "public, max-age=300",
      ETag: `"${file.hash}"`,
    });
  })
  .get("/_islands/:file", (c) => {
    const bundle = c.get("deps").islands;
    if (c.req.path !== bundle.url) throw fail.notFound("Bundle");
    return c.body(bundle.code as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": YEAR,
    });
  });
