import type { Handlers } from "../../lib/fs_router.ts";
import { openApiDocument } from "../../lib/openapi.ts";

/** `GET /api/openapi.json`: the OpenAPI 3.1 document of every `/api` route. */
export const handler: Handlers = {
  GET: (c) => c.json(openApiDocument()),
};
