import { requireMember } from "../../../lib/guards.ts";

/** A member's address book needs a session: the login page first, then back. */
export const middleware = requireMember();
