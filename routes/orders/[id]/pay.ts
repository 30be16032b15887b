import type { Handlers } from "../../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../../lib/http.ts";
import { AppError } from "../../../lib/errors.ts";
import { startPayment } from "../../../services/payments.ts";
import { orderPage } from "./_page.tsx";

/** `POST /orders/:id/pay`: on to the payment provider's page. */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    try {
      const payment = await startPayment(c.get("deps").shop, c.req.param("id")!, c.get("user")!);
      return c.redirect(payment.checkoutUrl, 303);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) {
        return await orderPage(c, c.req.param("id")!, c.get("t").msg(err.msg), 409);
      }
      throw err;
    }
  },
};
