/// <reference lib="dom" />
import { type ComponentType, h, hydrate } from "preact";

interface IslandData {
  name: string;
  props: Record<string, unknown>;
}

let islands: IslandData[] | undefined;

function pageIslands(): IslandData[] {
  if (!islands) {
    const data = document.getElementById("__islands");
    islands = data ? JSON.parse(data.textContent ?? "[]") as IslandData[] : [];
  }
  return islands;
}

/**
 * Hydrates every island of this name on the page from the serialised props in `#__islands`. Each island's
 * script calls it for its own component, so a page loads only the islands it renders.
 */
export function hydrateIsland(name: string, component: ComponentType<Record<string, unknown>>): void {
  const all = pageIslands();
  for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
    const entry = all[Number(el.dataset.island)];
    if (entry?.name === name) hydrate(h(component, entry.props), el);
  }
}
