import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { AppError, fail } from "../../../lib/errors.ts";
import { readUpload } from "../../../lib/upload.ts";
import { msg } from "../../../i18n/messages.ts";
import { bulkShip } from "../../../services/bulk_ship.ts";
import { ordersPage } from "./_page.tsx";

/** Most bytes of a bulk-ship CSV file. */
const BULK_SHIP_LIMIT = 1024 * 1024;

/** `POST /admin/orders/ship-csv`: bulk shipping from a CSV file (number,carrier,trackingNumber). */
export const handler: Handlers = {
  POST: [requirePermission("orders.ship"), async (c) => {
    try {
      const body = await readUpload(c, BULK_SHIP_LIMIT);
      const file = body.file;
      if (!(file instanceof File) || file.size === 0 || file.size > BULK_SHIP_LIMIT) {
        throw fail.invalid("ord.err.shipCsv", {}, { file: msg("validation.required") });
      }
      const shipped = await bulkShip(c.get("deps").shop, c.get("user")!, await file.text());
      return await ordersPage(c, undefined, 200, c.get("t")("ops.shipped", { n: shipped }));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 403) {
        // Bad lines are listed after the message; a file-level refusal is its (translated) message alone.
        const t = c.get("t");
        const lines = Object.entries(err.fields ?? {}).filter(([k]) => k.startsWith("line "))
          .map(([line, message]) => t("ord.err.line", { n: line.slice("line ".length), message })).join(
            t.raw("ord.err.lineSeparator"),
          );
        const text = lines ? t("ord.err.linesAfter", { message: err.msg, lines }) : t.msg(err.msg);
        return await ordersPage(c, text, err.status);
      }
      throw err;
    }
  }],
};
