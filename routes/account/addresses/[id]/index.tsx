import type { Ctx } from "../../../../lib/app_env.ts";
import type { Handlers } from "../../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../../lib/http.ts";
import { localizeErrors, renderPage } from "../../../../lib/render.tsx";
import type { FieldMessages } from "../../../../lib/errors.ts";
import { addressFormValues, addressOf, parseAddressForm, updateAddress } from "../../../../services/address_book.ts";
import { AddressForm } from "../../../../components/AddressBook.tsx";

/** The edit form of one of the member's addresses (404 for anyone else's), as stored or as just posted. */
async function editPage(c: Ctx, form?: Record<string, string>, errors: FieldMessages = {}, status = 200) {
  const t = c.get("t");
  const { db, box } = c.get("deps");
  const id = c.req.param("id")!;
  const stored = await addressOf(db, box, String(c.get("user")!.id), id);
  const posted = form && addressFormValues(form);
  const values = posted?.values ?? { ...stored, postcode: stored.postcode ?? "" };
  const props = {
    t,
    csrf: c.get("csrf"),
    action: `/account/addresses/${stored.id}`,
    values,
    isDefault: posted?.isDefault ?? stored.isDefault,
    wasDefault: stored.isDefault,
    errors: localizeErrors(c, errors),
  };
  return renderPage(c, <AddressForm {...props} />, { title: t("addr.editTitle"), status });
}

/** `/account/addresses/:id`: edit one of the member's addresses (400 with each field's message). */
export const handler: Handlers = {
  GET: (c) => editPage(c),
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    const { input, errors } = parseAddressForm(form);
    if (!input) return await editPage(c, form, errors, 400);
    const { db, box } = c.get("deps");
    await updateAddress(db, box, String(c.get("user")!.id), c.req.param("id")!, {
      ...input,
      postcode: input.postcode ?? "",
      isDefault: input.isDefault || undefined,
    });
    return c.redirect("/account/addresses?done=saved", 303);
  },
};

export default AddressForm;
