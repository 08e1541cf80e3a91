import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/** Screenshots kept as artifacts (referenced from issue notes and the README). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(__dirname, "artifacts");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** axe-core on the current page: no serious or critical violation (WCAG 2.1 A/AA rules). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  expect(summary, `axe on ${name}`).toEqual([]);
}

/** A screen: screenshot + axe in one call, so no page of the suite escapes either. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("load");
  await expectAccessible(page, name);
  await saveScreenshot(page, name);
}

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with \`npm run test:e2e\`, which starts the sandboxes`);
  return v;
}

/** The Lightspeed sandbox (serves OAuth, API, back office and control endpoints). */
export const lsSandbox = () => requireEnv("LS_AUTH_BASE_URL").replace(/\/$/, "");

/** The BuchhaltungsButler sandbox root (its API lives under /api/v1). */
export const bbSandbox = () => requireEnv("BB_API_BASE_URL").replace(/\/api\/v1\/?$/, "");

export async function lsMutate(body: Record<string, unknown>): Promise<{ id: number }> {
  const res = await fetch(`${lsSandbox()}/__sandbox/mutate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`mutate failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number };
}

export interface BbTenantView {
  receipts: { invoicenumber: string; amount: string | null }[];
  transactions: { id: string; amount: string; purpose: string }[];
  debtors: { postingaccount_number?: number; name?: string }[];
}

export async function bbTenant(index = 0): Promise<BbTenantView> {
  const res = await fetch(`${bbSandbox()}/__sandbox/tenants/${index}`);
  if (!res.ok) throw new Error(`BB sandbox inspect failed: ${res.status}`);
  return (await res.json()) as BbTenantView;
}

export async function caughtMails(): Promise<{ to: string[]; subject: string; text: string }[]> {
  const res = await fetch(requireEnv("MAIL_CATCHER_URL"));
  return (await res.json()) as { to: string[]; subject: string; text: string }[];
}

/** Today in Berlin, and n days before it (YYYY-MM-DD). */
export function berlinDate(daysAgo = 0): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date(Date.now() - daysAgo * 86_400_000));
}

/** Signs in the way a merchant returns: the Custom Menu Button in the Lightspeed back office. */
export async function launchFromBackOffice(page: Page): Promise<void> {
  await page.goto(`${lsSandbox()}/__sandbox/backoffice`);
  await page.getByRole("button", { name: "Butlerbridge öffnen (Kasse 1)" }).click();
  await page.waitForURL((u) => u.origin === new URL(process.env.BASE_URL ?? "http://localhost:3000").origin);
}

/**
 * One German merchant's page for a serial spec on the live tenant, launched from the back office before the first
 * test and closed after the last; `use` receives it.
 */
export function launchedForSpec(use: (page: Page) => void): void {
  let page: Page | undefined;
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ locale: "de-DE", viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await launchFromBackOffice(page);
    use(page);
  });
  test.afterAll(async () => {
    await page?.context().close();
  });
}

/** No sideways scrolling once the page has settled (streamed sections may still be arriving at first). */
export async function expectNoHorizontalScroll(p: Page): Promise<void> {
  const measure = () =>
    p.evaluate(() => {
      const w = window.innerWidth;
      const base = document.documentElement.scrollWidth;
      // Which subtree makes the page wider: hide one child at a time and see whether the width drops.
      const path: string[] = [];
      let el: Element = document.body;
      for (let depth = 0; depth < 15 && base > w; depth++) {
        const culprit = Array.from(el.children).find((c) => {
          const h = c as HTMLElement;
          const prev = h.style.display;
          h.style.display = "none";
          const narrower = document.documentElement.scrollWidth < base;
          h.style.display = prev;
          return narrower;
        });
        if (!culprit) break;
        path.push(`${culprit.tagName.toLowerCase()}.${String(culprit.getAttribute("class") ?? "").slice(0, 40)}`);
        el = culprit;
      }
      return { overflow: base - w, offenders: path.join(" > ") };
    });
  await expect.poll(async () => (await measure()).overflow, { message: `${p.url()} is wider than the screen: ${(await measure()).offenders}`, timeout: 10_000 }).toBeLessThanOrEqual(1);
}
