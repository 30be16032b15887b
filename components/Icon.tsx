import { iconBody, type IconName } from "./icons.ts";
import { SvgIcon } from "./SvgIcon.tsx";

/**
 * An inline SVG icon from the registry (`components/icons.ts`), drawn in the text colour. Decorative by
 * default (hidden from assistive technology); give `label` when the icon is the only content of a control.
 */
export function Icon(
  { name, size = 20, label, class: className }: { name: IconName; size?: number; label?: string; class?: string },
) {
  return <SvgIcon body={iconBody(name)} size={size} label={label} class={className} />;
}
