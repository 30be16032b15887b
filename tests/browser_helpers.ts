import axe from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";

const AXE = (axe as unknown as { source: string }).source;

/** Where browser tests save screenshots. */
export const SCREENSHOT_DIR = new URL("../test-output/screenshots/", import.meta.url);

/** Launches Debian's Chromium headless with the flags this machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Saves a full-page screenshot under test-output/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOT_DIR).pathname, fullPage: true });
}

/** Fails the test if the page ever opens a dialog (an XSS payload calling alert()). */
export function forbidDialogs(page: Page, errors: string[]): void {
  page.on("dialog", async (d) => {
    errors.push(`dialog opened: ${d.message()}`);
    await d.dismiss();
  });
}

/** axe-core's serious and critical findings (and any heading-order one) on the page as it is. */
export async function axeProblems(page: Page, label: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const result = await (globalThis as any).axe.run(document, { resultTypes: ["violations"] });
    return result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || v.id === "heading-order")
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
