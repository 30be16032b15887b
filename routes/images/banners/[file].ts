import { z } from "zod";
import type { Handlers, RouteConfig } from "../../../lib/fs_router.ts";
import { fail } from "../../../lib/errors.ts";
import { readQuery } from "../../../lib/http.ts";
import { bannerPictureFile } from "../../../services/home_arrangement.ts";

/** Banner pictures are asset-like: served before sessions are loaded. */
export const config: RouteConfig = { asset: true, params: { file: "\\d{1,18}\\.webp" } };

const pictureQuery = z.object({
  w: z.enum(["640", "960", "1440"]).optional(),
  /** The version the page linked to: a matching one is cached for a year. */
  v: z.string().max(40).optional(),
});

/**
 * `/images/banners/:id.webp[?w=640|960|1440][&v=…]`: an uploaded banner picture's WebP variant (3:1). A URL
 * whose `v` is the current version is cached for a year (a new upload changes `v`); others for minutes.
 */
export const handler: Handlers = {
  async GET(c) {
    const id = c.req.param("file")!.replace(/\.webp$/, "");
    const q = readQuery(c, pictureQuery);
    const w = q.w ? Number(q.w) as 640 | 960 | 1440 : undefined;
    const file = await bannerPictureFile(c.get("deps").db, id, w);
    if (!file) throw fail.notFound("image");
    return c.body(new Uint8Array(file.data) as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "image/webp",
      "Cache-Control": q.v === file.version ? "public, max-age=31536000, immutable" : "public, max-age=300",
    });
  },
};
