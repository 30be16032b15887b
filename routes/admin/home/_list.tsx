import type { Ctx } from "../../../lib/app_env.ts";
import { renderPage } from "../../../lib/render.tsx";
import { checkCsrf, clientIp, readForm } from "../../../lib/http.ts";
import { AppError } from "../../../lib/errors.ts";
import { shopFilters } from "../../../services/catalogue.ts";
import {
  deleteHomeItem,
  type HomePart,
  listArrangement,
  moveHomeItem,
  productNames,
  setHomeItemEnabled,
} from "../../../services/home_arrangement.ts";
import { HomeArrangeAdmin } from "../../../components/HomeArrangeAdmin.tsx";

/** The notices a redirect back to the list may ask for. */
const NOTICES = { saved: "hm.saved", created: "hm.created", deleted: "hm.deleted", moved: "hm.moved" } as const;

/** The 首页装修 page, with a notice (`?done=saved`) or a refusal. */
export async function homeAdminPage(c: Ctx, refusal?: string, status = 200): Promise<Response> {
  const t = c.get("t");
  const db = c.get("deps").db;
  const [{ banners, blocks }, { categories }] = await Promise.all([
    listArrangement(db, c.get("deps").shop.now()),
    shopFilters(db),
  ]);
  const products = await productNames(db, banners.filter((b) => b.linkKind === "product").map((b) => b.linkTarget));
  const en = c.get("locale") === "en";
  const names = { products, categories: new Map(categories.map((x) => [x.slug, en ? x.name_en : x.name_zh])) };
  const done = c.req.query("done");
  const notice = done && done in NOTICES ? t(NOTICES[done as keyof typeof NOTICES]) : undefined;
  const message = refusal
    ? { kind: "error" as const, text: refusal }
    : notice
    ? { kind: "ok" as const, text: notice }
    : undefined;
  const page = (
    <HomeArrangeAdmin t={t} csrf={c.get("csrf")} message={message} banners={banners} blocks={blocks} names={names} />
  );
  return renderPage(c, page, { title: t("hm.admin.title"), status });
}

/** The row actions of the list: `up`, `down`, `enable`, `disable`, `delete`; back to the list with a notice. */
export async function itemAction(c: Ctx, part: HomePart): Promise<Response> {
  checkCsrf(c, await readForm(c));
  const db = c.get("deps").db;
  const actor = c.get("user")!;
  const id = c.req.param("id")!;
  const action = c.req.param("action")!;
  try {
    if (action === "up" || action === "down") await moveHomeItem(db, actor, part, id, action, clientIp(c));
    else if (action === "delete") await deleteHomeItem(db, actor, part, id, clientIp(c));
    else await setHomeItemEnabled(db, actor, part, id, action === "enable", clientIp(c));
  } catch (err) {
    if (err instanceof AppError && err.status < 500 && err.status !== 403) {
      return await homeAdminPage(c, c.get("t").msg(err.msg), err.status);
    }
    throw err;
  }
  const done = action === "delete" ? "deleted" : action === "up" || action === "down" ? "moved" : "saved";
  return c.redirect(`/admin/home?done=${done}`, 303);
}
