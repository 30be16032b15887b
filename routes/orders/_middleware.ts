import { requireMember } from "../../lib/guards.ts";

/** A member's orders need a session: the login page first, then back. */
export const middleware = requireMember();
