import { encodeHex } from "../lib/hex.ts";
import { randomToken, timingSafeEqual } from "../lib/tokens.ts";
import { fail } from "../lib/errors.ts";

/** A payment notification from a provider, after its signature was checked. */
export interface WebhookEvent {
  eventId: string;
  paymentId: string;
  amount: string;
  status: "succeeded" | "failed";
}

/** Thrown when a webhook's signature does not verify. */
export class BadSignature extends Error {}

/**
 * The port every payment provider implements: start a payment, refund (part of) one, and verify
 * its webhooks. The sandbox below behaves like a real provider behind the same signatures.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Opens a payment for an amount; the buyer completes it on the provider's checkout page. */
  createPayment(input: { orderId: string; amount: string }): Promise<{ id: string; checkoutUrl: string }>;
  /** Refunds money of a succeeded payment; idempotent by `refundKey`. */
  refund(input: { paymentId: string; amount: string; refundKey: string }): Promise<{ id: string }>;
  /** Checks the signature of a webhook body and returns its parsed JSON, or the text itself when it is not JSON (the caller validates it). */
  verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<unknown>;
}

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  return encodeHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body))));
}

/**
 * The provider of a shop where no payment provider is live (the sandbox switched off and no real one
 * configured): starting a payment is refused with a clear error, and no webhook verifies.
 */
export class NoPaymentProvider implements PaymentProvider {
  readonly name = "none";

  createPayment(): Promise<{ id: string; checkoutUrl: string }> {
    return Promise.reject(
      fail.unprocessable("order.err.noOnlinePayment"),
    );
  }

  refund(): Promise<{ id: string }> {
    return Promise.reject(fail.unprocessable("order.err.noRefundProvider"));
  }

  verifyWebhook(): Promise<unknown> {
    return Promise.reject(new BadSignature("No payment provider is live"));
  }
}

/** The sandbox provider: payments are confirmed or failed on its checkout page at `/sandbox/pay/:id`. */
export class SandboxProvider implements PaymentProvider {
  readonly name = "sandbox";
  constructor(private secret: string) {}

  createPayment(_input: { orderId: string; amount: string }) {
    const id = `pay_${randomToken(12)}`;
    return Promise.resolve({ id, checkoutUrl: `/sandbox/pay/${id}` });
  }

  refund(input: { paymentId: string; amount: string; refundKey: string }) {
    return Promise.resolve({ id: `re_${input.refundKey}` });
  }

  /** The `X-Sandbox-Signature` header value for a body: `sha256=<hex HMAC-SHA256>`. */
  async sign(rawBody: string): Promise<string> {
    return `sha256=${await hmacHex(this.secret, rawBody)}`;
  }

  async verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<unknown> {
    const expected = await this.sign(rawBody);
    if (!signatureHeader || !timingSafeEqual(signatureHeader.trim().toLowerCase(), expected)) {
      throw new BadSignature("Webhook signature does not verify");
    }
    try {
      return JSON.parse(rawBody);
    } catch {
      return rawBody; // signed but not JSON: the caller's schema refuses it as a bad body (400), not a bad signature
    }
  }
}
