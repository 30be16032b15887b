import { iconBody, type IconName } from "./icons.ts";

/**
 * An inline SVG icon from the registry (`components/icons.ts`), drawn in the text colour. Decorative by
 * default (hidden from assistive technology); give `label` when the icon is the only content of a control.
 */
export function Icon(
  { name, size = 20, label, class: className }: { name: IconName; size?: number; label?: string; class?: string },
) {
  return (
    <svg
      class={className ? `icon ${className}` : "icon"}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden={label ? undefined : "true"}
      role={label ? "img" : undefined}
      aria-label={label}
      focusable="false"
      dangerouslySetInnerHTML={{ __html: iconBody(name) }}
    />
  );
}
