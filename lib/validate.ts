import type { z } from "zod";
import { AppError } from "./errors.ts";

/** Turns zod issues into the contract's `fields` map (first message per field path). */
export function issuesToFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "body";
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

/** Parses `input` with `schema`, throwing a 400 `invalid_input` AppError with `fields` on failure. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = issuesToFields(result.error);
    const first = Object.entries(fields)[0];
    throw new AppError("invalid_input", first ? `Invalid ${first[0]}: ${first[1]}` : "Invalid input", fields);
  }
  return result.data;
}
