/** The Content-Security-Policy of every HTML answer. */
export const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** Headers on every answer. */
export const BASE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
} as const;

/** Headers on every HTML answer (the base headers and the CSP). */
export const SECURITY_HEADERS = { ...BASE_HEADERS, "Content-Security-Policy": CSP } as const;
