import type { FrameProps, LayoutConfig } from "../../lib/fs_router.ts";
import { AdminShell } from "../../components/AdminShell.tsx";

/** The back office frames the whole document (a slim top bar, no shop tabs). */
export const config: LayoutConfig = { frame: "console" };

/** Every console page: the sidebar by area (filtered by the staff role), a drawer on phones, breadcrumbs. */
export default function AdminLayout({ path, t, user, title, children }: FrameProps) {
  return <AdminShell path={path} t={t} user={user} title={title}>{children}</AdminShell>;
}
