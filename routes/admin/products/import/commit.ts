import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { checkCsrf, clientIp, readForm } from "../../../../lib/http.ts";
import { commitImportDraft } from "../../../../services/product_import.ts";
import { importPage } from "../_page.tsx";

/** `POST /admin/products/import/commit`: the one-click import after a clean dry run (the file is not sent again). */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    return await importPage(c, async () => {
      const result = await commitImportDraft(
        c.get("deps").db,
        c.get("user")!,
        (form.token ?? "").slice(0, 100),
        clientIp(c),
      );
      return { kind: "imported", n: result.imported };
    });
  }],
};
