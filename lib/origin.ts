/** Whether an Origin header names the same host as the request's Host header. */
export function isSameOrigin(origin: string, host: string | undefined | null): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
