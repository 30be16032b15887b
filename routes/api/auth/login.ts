import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson } from "../../../lib/http.ts";
import { loginSource, signIn } from "../../../lib/session_cookie.ts";
import { authenticate, loginSchema } from "../../../services/accounts.ts";
import { userView } from "../../../services/members.ts";

/** `POST /api/auth/login`. */
export const handler: Handlers = {
  async POST(c) {
    const input = await readJson(c, loginSchema);
    const user = await authenticate(c.get("deps").db, input, loginSource(c));
    await signIn(c, user);
    return c.json({ user: userView(user) });
  },
};
