import { type LabelValue, type MessageKey, type Msg, msg, type ParamArgs, type Translator } from "../i18n/messages.ts";

/** Error codes of the public API, each with its HTTP status. */
export const errorStatus = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  out_of_stock: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  compliance_violation: 422,
  amount_mismatch: 422,
  idempotency_mismatch: 422,
  unprocessable: 422,
  rate_limited: 429,
} as const;

/** A snake_case error code of the API. */
export type ErrorCode = keyof typeof errorStatus;

/** Field messages of an error, by field path (`address.line1`, `line 3`). */
export type FieldMessages = Record<string, Msg>;

/** The error body of the contract, rendered in one language. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/**
 * A typed, expected failure; mapped to its status and JSON body in one place (`lib/http.ts`). It carries a
 * message key and parameters (`msg`), never English text: the body's `message` and `fields` are rendered in
 * the reader's language (`toJSON(t)`). `Error.message` is the key, for logs.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly msg: Msg,
    readonly fields?: FieldMessages,
  ) {
    super(msg.params ? `${msg.key} ${JSON.stringify(msg.params)}` : msg.key);
    this.name = "AppError";
  }

  /** The HTTP status for this error's code. */
  get status(): number {
    return errorStatus[this.code];
  }

  /** The field messages in one language (empty without fields). */
  fieldTexts(t: Translator): Record<string, string> {
    return Object.fromEntries(Object.entries(this.fields ?? {}).map(([k, m]) => [k, t.msg(m)]));
  }

  /** The JSON body of the contract in `t`'s language: `{ error: { code, message, fields } }`. */
  toJSON(t: Translator): ErrorBody {
    return {
      error: {
        code: this.code,
        message: t.msg(this.msg),
        ...(this.fields ? { fields: this.fields ? this.fieldTexts(t) : {} } : {}),
      },
    };
  }
}

/** A key and, when its text has `{name}` placeholders, its parameters; then the error's field messages. */
type KeyArgs<K extends MessageKey> = [...ParamArgs<K>, fields?: FieldMessages];

function make<K extends MessageKey>(code: ErrorCode, key: K, args: unknown[]): AppError {
  const [params, fields] = args as [Msg["params"], FieldMessages | undefined];
  return new AppError(code, params && Object.keys(params).length ? { key, params } : { key }, fields);
}

/**
 * Shorthand constructors for the common errors, each from a message key:
 * `fail.invalid("cart.err.empty")`, `fail.conflict("acct.err.emailTaken", {}, { email: msg("acct.err.emailTaken") })`,
 * `fail.notFound("order")`, `fail.forbidden()`, `fail.as("rate_limited", "auth.err.throttled", { wait })`.
 */
export const fail = {
  /** Any code with a message: `fail.as("out_of_stock", "cart.err.left", { n, name })`. */
  as: <K extends MessageKey>(code: ErrorCode, key: K, ...args: KeyArgs<K>) => make(code, key, args),
  /** 400 invalid_input. */
  invalid: <K extends MessageKey>(key: K, ...args: KeyArgs<K>) => make("invalid_input", key, args),
  /** 409 conflict. */
  conflict: <K extends MessageKey>(key: K, ...args: KeyArgs<K>) => make("conflict", key, args),
  /** 422 unprocessable. */
  unprocessable: <K extends MessageKey>(key: K, ...args: KeyArgs<K>) => make("unprocessable", key, args),
  /** 401: please log in first. */
  unauthenticated: () => new AppError("unauthenticated", msg("err.unauthenticated")),
  /** 403 with a reason (by default: you are not allowed to do this). */
  forbidden: (message: Msg = msg("err.forbidden")) => new AppError("forbidden", message),
  /** 404: `fail.notFound("order")` says "Order not found". */
  notFound: (what?: LabelValue<"notFound">) =>
    new AppError("not_found", what ? { key: `notFound.${what}` } : msg("err.notFound")),
};

/** A field's message, for the `fields` of an error: `{ email: field("validation.email") }`. */
export const field = msg;
