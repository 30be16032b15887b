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

/** A typed, expected failure; mapped to its status and JSON body in one place (`lib/http.ts`). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }

  /** The HTTP status for this error's code. */
  get status(): number {
    return errorStatus[this.code];
  }

  /** The JSON body of the contract: `{ error: { code, message, fields } }`. */
  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/** Shorthand constructors for the common errors. */
export const fail = {
  invalid: (message: string, fields?: Record<string, string>) => new AppError("invalid_input", message, fields),
  unauthenticated: (message = "Please log in first") => new AppError("unauthenticated", message),
  forbidden: (message = "You are not allowed to do this") => new AppError("forbidden", message),
  notFound: (what = "Resource") => new AppError("not_found", `${what} not found`),
  conflict: (message: string, fields?: Record<string, string>) => new AppError("conflict", message, fields),
};
