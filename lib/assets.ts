import { Hono } from "hono";
import type { AppEnv } from "./app_env.ts";
import { fail } from "./errors.ts";
import { encodedResponse } from "./compress.ts";
import { pageScriptFile } from "./islands_build.ts";

const YEAR = "public, max-age=31536000, immutable";

/**
 * The framework's own files, served before any session work (as Fresh serves `static/` and its island
 * scripts): files under `static/` and the content-hashed island scripts, each compressed once (br/gzip)
 * and answered with an ETag (304 when the browser's copy is current).
 */
export const assets = new Hono<AppEnv>()
  .get("/static/*", (c) => {
    const name = c.req.path.slice("/static/".length);
    const file = c.get("deps").assets.files.get(name);
    if (!file) throw fail.notFound("file");
    const versioned = c.req.query("v") === file.hash;
    return encodedResponse(c.req.raw, file.encoded, {
      "Content-Type": file.type,
      "Cache-Control": versioned ? YEAR : "public, max-age=300",
    });
  })
  .get("/_islands/:file", async (c) => {
    const file = await pageScriptFile(c.get("deps").islands, c.req.path);
    if (!file) throw fail.notFound("bundle");
    return encodedResponse(c.req.raw, file.encoded, { "Content-Type": file.type, "Cache-Control": YEAR });
  });
