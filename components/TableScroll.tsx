import type { ComponentChildren } from "preact";

/**
 * The scrolling wrapper of a wide table: on a phone the table scrolls sideways inside it, and the
 * wrapper is a named, keyboard-focusable region, so keyboard users can scroll it too (axe's
 * `scrollable-region-focusable`). `label` names the region (usually the table's heading).
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
