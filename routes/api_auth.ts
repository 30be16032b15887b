import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";
import { readJson, requireUser } from "../lib/http.ts";
import { loginSource, signIn, signOut } from "../lib/session_cookie.ts";
import { authenticate, loginSchema, register, registerSchema } from "../services/accounts.ts";
import { toUser } from "../db/users_repo.ts";

/** Accounts API: register, login, logout, me. */
export const apiAuth = new Hono<AppEnv>()
  .post("/auth/register", async (c) => {
    const input = await readJson(c, registerSchema);
    const user = await register(c.get("deps").db, input);
    await signIn(c, user);
    return c.json({ user: toUser(user) }, 201);
  })
  .post("/auth/login", async (c) => {
    const input = await readJson(c, loginSchema);
    const user = await authenticate(c.get("deps").db, input, loginSource(c));
    await signIn(c, user);
    return c.json({ user: toUser(user) });
  })
  .post("/auth/logout", async (c) => {
    await signOut(c);
    return c.body(null, 204);
  })
  .get("/me", (c) => c.json({ user: toUser(requireUser(c)) }));
