import type { z } from "zod";
import { AppError, type FieldMessages } from "./errors.ts";
import { decodeMsg, type Msg, msg } from "../i18n/messages.ts";

/**
 * The catalogue message of one zod issue: the schema's own message when it was given with `says(key)`,
 * otherwise a message chosen by the issue's code (zod's English defaults are never shown).
 */
export function issueMsg(issue: z.core.$ZodIssue): Msg {
  const said = decodeMsg(issue.message);
  if (said) return said;
  switch (issue.code) {
    case "invalid_type":
      return (issue as { input?: unknown }).input === undefined
        ? msg("validation.required")
        : issue.expected === "int"
        ? msg("validation.integer")
        : msg("validation.invalidType");
    case "too_small": {
      const min = String(issue.minimum);
      if (issue.origin === "string") return msg("validation.minLength", { min });
      if (issue.origin === "array" || issue.origin === "set") return msg("validation.minItems", { min });
      return msg("validation.min", { min });
    }
    case "too_big": {
      const max = String(issue.maximum);
      if (issue.origin === "string") return msg("validation.maxLength", { max });
      if (issue.origin === "array" || issue.origin === "set") return msg("validation.maxItems", { max });
      return msg("validation.max", { max });
    }
    case "invalid_format":
      return issue.format === "email" ? msg("validation.email") : msg("validation.format");
    case "invalid_value":
      return msg("validation.option");
    case "unrecognized_keys":
      return msg("validation.unknownField", { keys: issue.keys.join(", ") });
    default:
      return msg("validation.invalid");
  }
}

/** Turns zod issues into the contract's `fields` map (first message per field path). */
export function issuesToFields(error: z.ZodError): FieldMessages {
  const fields: FieldMessages = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "body";
    if (!(key in fields)) fields[key] = issueMsg(issue);
  }
  return fields;
}

/** The 400 `invalid_input` error for field messages: "Invalid <first field>: <its message>". */
export function invalidFields(fields: FieldMessages): AppError {
  const first = Object.entries(fields)[0];
  return new AppError(
    "invalid_input",
    first ? msg("err.invalidField", { field: first[0], message: first[1] }) : msg("err.invalidInput"),
    fields,
  );
}

/** Parses `input` with `schema`, throwing a 400 `invalid_input` AppError with `fields` on failure. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw invalidFields(issuesToFields(result.error));
  return result.data;
}
