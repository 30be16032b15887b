/**
 * Deprecated: the console's navigation is now the sidebar of `routes/admin/_layout.tsx`
 * (`components/AdminShell.tsx`), which frames every console page. Kept so that pages written before it
 * still compile; it renders nothing.
 */
export function AdminNav(_props: { path: string; t: unknown; user: unknown }) {
  return null;
}
