import type { Handlers } from "../../../lib/fs_router.ts";
import { signOut } from "../../../lib/session_cookie.ts";

/** `POST /api/auth/logout`: the session ends. */
export const handler: Handlers = {
  async POST(c) {
    await signOut(c);
    return c.body(null, 204);
  },
};
