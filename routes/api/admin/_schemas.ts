import { z } from "zod";

/** A numeric id in the path. */
export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, "must be a numeric id") });
