import type { Handlers } from "../../../lib/fs_router.ts";
import { readJson } from "../../../lib/http.ts";
import { signIn } from "../../../lib/session_cookie.ts";
import { register, registerSchema } from "../../../services/accounts.ts";
import { userView } from "../../../services/members.ts";

/** `POST /api/auth/register`: a new member, signed in. */
export const handler: Handlers = {
  async POST(c) {
    const input = await readJson(c, registerSchema);
    const user = await register(c.get("deps").db, input);
    await signIn(c, user);
    return c.json({ user: userView(user) }, 201);
  },
};
