import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { clientIp } from "../../../../lib/http.ts";
import { fail } from "../../../../lib/errors.ts";
import { msg } from "../../../../i18n/messages.ts";
import { readUpload } from "../../../../lib/upload.ts";
import {
  checkImportForLater,
  IMPORT_DRAFT_MINUTES,
  IMPORT_LIMIT,
  importProducts,
} from "../../../../services/product_import.ts";
import { importPage } from "../_page.tsx";

/** `POST /admin/products/import`: a CSV or XLSX file, checked (dry run, kept for one click) or imported. */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    return await importPage(c, async () => {
      const body = await readUpload(c, IMPORT_LIMIT);
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) {
        throw fail.invalid("cat.err.chooseImportFile", {}, { file: msg("validation.required") });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const db = c.get("deps").db;
      if (body.dryRun === "true") {
        const checked = await checkImportForLater(db, c.get("user")!, bytes);
        return { kind: "checked", rows: checked.rows, token: checked.token, minutes: IMPORT_DRAFT_MINUTES };
      }
      return { kind: "imported", n: (await importProducts(db, c.get("user")!, bytes, false, clientIp(c))).imported };
    });
  }],
};
