import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { BannerForm } from "../../../../components/HomeArrangeForms.tsx";
import { bannerPage, saveBanner } from "../_banner.tsx";

/** `/admin/home/banners/new`: the form of a new banner (picture or generated art), and creating it. */
export const handler: Handlers = {
  GET: [requirePermission("home.write"), (c) => bannerPage(c, null)],
  POST: [requirePermission("home.write"), (c) => saveBanner(c, null)],
};

export default BannerForm;
