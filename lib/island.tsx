import { type ComponentType, createContext, type JSX } from "preact";
import { useContext } from "preact/hooks";

/** Collects the islands used by one render (one collector per request; nothing shared). */
export class IslandCollector {
  readonly islands: { name: string; props: unknown }[] = [];
  /** Registers an island's props and returns its index. */
  add(name: string, props: unknown): number {
    this.islands.push({ name, props });
    return this.islands.length - 1;
  }
}

/** The collector of the render in progress (none inside an island or in the browser). */
export const IslandContext = createContext<IslandCollector | null>(null);

/**
 * Escapes JSON for embedding inside a `<script>` element: `<`, `>`, `&` and the line
 * separators become unicode escapes, so user data can never close the script.
 */
export function escapeJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/** The island name of a component: its function name, which must equal its file name. */
export function islandName(component: ComponentType<never>): string {
  const c = component as { displayName?: string; name: string };
  return c.displayName ?? c.name;
}

/**
 * Renders an island: the component renders on the server inside a marked element, and its
 * props are serialised for the browser to hydrate it.
 */
export function Island<P extends Record<string, unknown>>(
  { of: Component, props }: { of: ComponentType<P>; props: P },
): JSX.Element {
  const collector = useContext(IslandContext);
  if (!collector) return <Component {...props} />;
  const index = collector.add(islandName(Component as ComponentType<never>), props);
  return (
    <div data-island={index} class="island">
      <IslandContext.Provider value={null}>
        <Component {...props} />
      </IslandContext.Provider>
    </div>
  );
}
