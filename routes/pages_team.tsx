import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";

/** The distributor's team: expandable tree and searchable table. */
export const pagesTeam = new Hono<AppEnv>();
