import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { AppEnv } from "../lib/app_env.ts";
import { findProduct } from "../db/products_repo.ts";
import { productSvg } from "../components/product_image.ts";
import { fail } from "../lib/errors.ts";
import { safeRedirectPath } from "../lib/http.ts";
import { encodedResponse } from "../lib/compress.ts";
import { pageScriptFile } from "../lib/islands_build.ts";

const YEAR = "public, max-age=31536000, immutable";

/** Static files, the hashed island bundle, generated product images and the language switch. */
export const assets = new Hono<AppEnv>()
  .get("/static/*", (c) => {
    const name = c.req.path.slice("/static/".length);
    const file = c.get("deps").assets.files.get(name);
    if (!file) throw fail.notFound("File");
    const versioned = c.req.query("v") === file.hash;
    return encodedResponse(c.req.raw, file.encoded, {
      "Content-Type": file.type,
      "Cache-Control": versioned ? YEAR : "public, max-age=300",
    });
  })
  .get("/_islands/:file", async (c) => {
    const file = await pageScriptFile(c.get("deps").islands, c.req.path);
    if (!file) throw fail.notFound("Bundle");
    return encodedResponse(c.req.raw, file.encoded, { "Content-Type": file.type, "Cache-Control": YEAR });
  })
  .get("/images/products/:file", async (c) => {
    const id = c.req.param("file").replace(/\.svg$/, "");
    const db = c.get("deps").db;
    const [uploaded] = /^\d{1,18}$/.test(id)
      ? await db.query<{ content_type: string; data: Uint8Array }>(
        "SELECT content_type, data FROM product_images WHERE product_id = $1",
        [id],
      )
      : [];
    if (uploaded) {
      return c.body(new Uint8Array(uploaded.data) as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": uploaded.content_type,
        "Cache-Control": "public, max-age=300",
      });
    }
    const product = await findProduct(db, id);
    if (!product) throw fail.notFound("Image");
    return c.body(productSvg(product), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=86400",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  })
  .get("/lang/:locale", (c) => {
    const locale = c.req.param("locale");
    if (locale !== "en" && locale !== "zh-CN") throw fail.notFound("Language");
    setCookie(c, "lang", locale, { path: "/", sameSite: "Lax", maxAge: 365 * 86400 });
    return c.redirect(safeRedirectPath(c.req.query("back")), 303);
  });
