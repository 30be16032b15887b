import type { ComponentChildren } from "preact";

/** A labelled form field with its error message next to it. */
export function Field(
  props: {
    label: string;
    name: string;
    type?: "text" | "email" | "password" | "tel" | "number" | "search";
    value?: string;
    error?: string;
    hint?: string;
    autocomplete?: string;
    required?: boolean;
    minLength?: number;
    maxLength?: number;
    /** Extra classes on the field's wrapper (for layout). */
    class?: string;
  },
) {
  const id = `f-${props.name}`;
  const describedBy = props.error ? `${id}-error` : props.hint ? `${id}-hint` : undefined;
  return (
    <div class={["field", props.error && "has-error", props.class].filter(Boolean).join(" ")}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        {...{ type: props.type ?? "text" } as Record<string, string>}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required}
        minLength={props.minLength}
        maxLength={props.maxLength}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy}
      />
      {props.error
        ? <p class="field-error" id={`${id}-error`}>{props.error}</p>
        : props.hint && <p class="field-hint" id={`${id}-hint`}>{props.hint}</p>}
    </div>
  );
}

/** A POST form carrying the CSRF token. */
export function PostForm(
  { action, csrf, children, class: cls }: { action: string; csrf: string; children: ComponentChildren; class?: string },
) {
  return (
    <form method="post" action={action} class={cls ?? "form"} novalidate>
      <input type="hidden" name="_csrf" value={csrf} />
      {children}
    </form>
  );
}

/** A banner above a form summarising that something needs fixing. */
export function FormAlert({ message }: { message?: string }) {
  if (!message) return null;
  return <div class="alert alert-error" role="alert">{message}</div>;
}
