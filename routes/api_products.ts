import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";
import { readQuery } from "../lib/http.ts";
import { browseProducts, getProduct, productQuerySchema } from "../services/catalogue.ts";

/** Catalogue API (read side). */
export const apiProducts = new Hono<AppEnv>()
  .get("/products", async (c) => {
    const query = readQuery(c, productQuerySchema);
    return c.json(await browseProducts(c.get("deps").db, query, c.get("user")));
  })
  .get("/products/:id", async (c) => {
    const product = await getProduct(c.get("deps").db, c.req.param("id"), c.get("user"));
    return c.json({ product });
  });
