import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../lib/http.ts";
import { applicationSchema, applyAsDistributor } from "../../../services/programme.ts";

/** `POST /api/me/distributor-application`. */
export const handler: Handlers = {
  async POST(c) {
    const input = await readJson(c, applicationSchema);
    return c.json({ application: await applyAsDistributor(c.get("deps").db, requireUser(c), input) }, 201);
  },
};
