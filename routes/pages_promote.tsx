import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";

/** The distributor's promotion tools (link, QR code, posters, link statistics). */
export const pagesPromote = new Hono<AppEnv>();
