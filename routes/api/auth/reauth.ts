import { z } from "zod";
import type { Handlers } from "../../../lib/fs_router.ts";
import { clientIp, readJson, requireUser } from "../../../lib/http.ts";
import { loginSchema, reauthenticate } from "../../../services/accounts.ts";

const passwordSchema = z.object({ password: loginSchema.shape.password });

/** `POST /api/auth/reauth`: the password again, for sensitive actions. */
export const handler: Handlers = {
  async POST(c) {
    const user = requireUser(c);
    const { password } = await readJson(c, passwordSchema);
    await reauthenticate(c.get("deps").db, c.get("sessionToken"), user, password, clientIp(c));
    return c.body(null, 204);
  },
};
