import type { Ctx } from "../../../lib/app_env.ts";
import type { Handlers } from "../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../lib/http.ts";
import { localizeErrors, renderPage } from "../../../lib/render.tsx";
import { AppError, type FieldMessages } from "../../../lib/errors.ts";
import { addAddress, addressFormValues, parseAddressForm } from "../../../services/address_book.ts";
import { AddressForm } from "../../../components/AddressBook.tsx";

function newAddressPage(c: Ctx, form: Record<string, string>, errors: FieldMessages = {}, status = 200, said?: string) {
  const t = c.get("t");
  const { values, isDefault } = addressFormValues(form);
  const props = { t, csrf: c.get("csrf"), values, isDefault, errors: localizeErrors(c, errors), message: said };
  return renderPage(c, <AddressForm {...props} action="/account/addresses/new" />, {
    title: t("addr.newTitle"),
    status,
  });
}

/** `/account/addresses/new`: the form of a new address; posting it adds the address (400 with each field's message). */
export const handler: Handlers = {
  GET: (c) => newAddressPage(c, {}),
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    const { input, errors } = parseAddressForm(form);
    if (!input) return newAddressPage(c, form, errors, 400);
    const { db, box } = c.get("deps");
    try {
      await addAddress(db, box, String(c.get("user")!.id), input);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) {
        return newAddressPage(c, form, {}, 409, c.get("t").msg(err.msg));
      }
      throw err;
    }
    return c.redirect("/account/addresses?done=saved", 303);
  },
};

export default AddressForm;
