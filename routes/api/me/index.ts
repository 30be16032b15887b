import type { Handlers } from "../../../lib/fs_router.ts";
import { requireUser } from "../../../lib/http.ts";
import { userView } from "../../../services/members.ts";

/** `GET /api/me`: the signed-in member. */
export const handler: Handlers = {
  GET: (c) => c.json({ user: userView(requireUser(c)) }),
};
