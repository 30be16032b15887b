/**
 * Whether an Origin header names the origin the client addressed: the same scheme, host and port
 * (default ports count as given). `expected` is the request's client view (`lib/proxy.ts`).
 */
export function isSameOrigin(
  origin: string,
  expected: { scheme: string; host: string | undefined | null },
): boolean {
  if (!expected.host) return false;
  try {
    return new URL(origin).origin === new URL(`${expected.scheme}://${expected.host}`).origin;
  } catch {
    return false;
  }
}
