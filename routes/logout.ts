import type { Handlers } from "../lib/fs_router.ts";
import { checkCsrf, readForm } from "../lib/http.ts";
import { signOut } from "../lib/session_cookie.ts";

/** `POST /logout`: the session ends. */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    await signOut(c);
    return c.redirect("/", 303);
  },
};
