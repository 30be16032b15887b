/**
 * An inline SVG icon drawn from its body (the registry's `iconBody(name)`, which islands get as a prop), in
 * the text colour. Decorative by default (hidden from assistive technology); give `label` when the icon is
 * the only content of a control. Imports nothing, so islands may use it.
 */
export function SvgIcon(
  { body, size = 20, label, class: className }: { body: string; size?: number; label?: string; class?: string },
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
      dangerouslySetInnerHTML={{ __html: body }}
    />
  );
}
