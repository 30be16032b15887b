/// <reference lib="dom" />
import { type ComponentType, h, hydrate } from "preact";

/** Hydrates every island on the page from the serialised props in `#__islands`. */
export function hydrateIslands(registry: Record<string, ComponentType<Record<string, unknown>>>): void {
  const data = document.getElementById("__islands");
  if (!data) return;
  const islands = JSON.parse(data.textContent ?? "[]") as { name: string; props: Record<string, unknown> }[];
  for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
    const entry = islands[Number(el.dataset.island)];
    const component = entry && registry[entry.name];
    if (!component) {
      console.error(`Unknown island ${entry?.name}`);
      continue;
    }
    hydrate(h(component, entry.props), el);
  }
}
