import type { Ctx } from "../../../lib/app_env.ts";
import { localizeErrors, renderPage } from "../../../lib/render.tsx";
import { clientIp } from "../../../lib/http.ts";
import { AppError, fail, type FieldMessages } from "../../../lib/errors.ts";
import { readUpload } from "../../../lib/upload.ts";
import { issuesToFields } from "../../../lib/validate.ts";
import {
  bannerErrorField,
  type BannerFormValues,
  bannerFormValues,
  NEW_BANNER,
  readBannerForm,
} from "../../../lib/home_form.ts";
import { msg } from "../../../i18n/messages.ts";
import { shopFilters } from "../../../services/catalogue.ts";
import { productChoices } from "../../../services/shop_home.ts";
import { sniffImage } from "../../../services/stock_admin.ts";
import {
  bannerInputSchema,
  type BannerPictureChange,
  createBanner,
  getBanner,
  prepareBannerPicture,
  updateBanner,
} from "../../../services/home_arrangement.ts";
import { BannerForm } from "../../../components/HomeArrangeForms.tsx";

const PICTURE_LIMIT = 2 * 1024 * 1024;

/** The banner form: empty for a new one (`id` null), the stored banner, or what was typed with its errors. */
export async function bannerPage(
  c: Ctx,
  id: string | null,
  typed?: { values: BannerFormValues; errors: FieldMessages; message?: string },
  status = 200,
): Promise<Response> {
  const t = c.get("t");
  const db = c.get("deps").db;
  const [current, products, { categories }] = await Promise.all([
    id ? getBanner(db, id, c.get("deps").shop.now()) : null,
    productChoices(db),
    shopFilters(db),
  ]);
  const en = c.get("locale") === "en";
  const title = t(id ? "hm.banner.edit" : "hm.banner.add");
  const page = (
    <section class="stack">
      <h1>{title}</h1>
      <BannerForm
        t={t}
        csrf={c.get("csrf")}
        action={id ? `/admin/home/banners/${id}` : "/admin/home/banners/new"}
        values={typed?.values ?? (current ? bannerFormValues(current) : NEW_BANNER)}
        errors={localizeErrors(c, typed?.errors ?? {})}
        message={typed?.message}
        current={current}
        products={products}
        categories={categories.map((x) => ({ slug: x.slug, name: en ? x.name_en : x.name_zh }))}
      />
    </section>
  );
  return renderPage(c, page, { title, status });
}

/** The picture a posted form asks for: a new upload, the generated art instead of a stored picture, or none. */
async function pictureOf(
  body: Record<string, string | File>,
  values: BannerFormValues,
  hadPicture: boolean,
): Promise<BannerPictureChange | undefined> {
  const file = body.image instanceof File && body.image.size > 0 ? body.image : null;
  if (values.picture === "art") return hadPicture ? "remove" : undefined;
  if (!file) {
    if (hadPicture) return undefined;
    throw fail.invalid("cat.err.chooseImage", {}, { image: msg("validation.required") });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!sniffImage(bytes)) throw fail.invalid("cat.err.imageType", {}, { image: msg("validation.unsupportedType") });
  return await prepareBannerPicture(bytes);
}

/** Saves the posted banner form (new when `id` is null): back to the list, or the form again with its errors. */
export async function saveBanner(c: Ctx, id: string | null): Promise<Response> {
  const db = c.get("deps").db;
  const current = id ? await getBanner(db, id, c.get("deps").shop.now()) : null;
  let typed: BannerFormValues = current ? bannerFormValues(current) : NEW_BANNER;
  try {
    const body = await readUpload(c, PICTURE_LIMIT);
    const { values, input } = readBannerForm(body);
    typed = values;
    const parsed = bannerInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new AppError("invalid_input", msg("hm.err.check"), issuesToFields(parsed.error));
    const picture = await pictureOf(body, values, Boolean(current?.picture));
    const actor = c.get("user")!;
    if (current) await updateBanner(db, actor, current.id, parsed.data, clientIp(c), picture);
    else await createBanner(db, actor, parsed.data, clientIp(c), picture);
  } catch (err) {
    if (err instanceof AppError && err.status < 500 && err.status !== 403 && err.status !== 404) {
      const errors: FieldMessages = {};
      for (const [k, m] of Object.entries(err.fields ?? {})) errors[bannerErrorField(k, typed.linkKind)] ??= m;
      return await bannerPage(c, id, { values: typed, errors, message: c.get("t").msg(err.msg) }, err.status);
    }
    throw err;
  }
  return c.redirect(`/admin/home?done=${current ? "saved" : "created"}`, 303);
}
