import { z } from "zod";
import { says } from "../../../i18n/messages.ts";

/** A numeric id in the path. */
export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, says("validation.id")) });
