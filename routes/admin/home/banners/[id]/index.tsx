import type { Handlers } from "../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { BannerForm } from "../../../../../components/HomeArrangeForms.tsx";
import { bannerPage, saveBanner } from "../../_banner.tsx";

/** `/admin/home/banners/:id`: a banner's form with its current look, and saving it (audited). */
export const handler: Handlers = {
  GET: [requirePermission("home.write"), (c) => bannerPage(c, c.req.param("id")!)],
  POST: [requirePermission("home.write"), (c) => saveBanner(c, c.req.param("id")!)],
};

export default BannerForm;
