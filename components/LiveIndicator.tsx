import type { LiveStatus } from "../client/live.ts";

/** A small dot and label showing the live connection's state. */
export function LiveIndicator({ status, labels }: { status: LiveStatus; labels: Record<LiveStatus, string> }) {
  return (
    <span class={`live-indicator live-${status}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
